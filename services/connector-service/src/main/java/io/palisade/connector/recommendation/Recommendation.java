package io.palisade.connector.recommendation;

import java.util.List;

/**
 * One assessment of a cluster, as Defender's recommendations: what should hold, whether it does, why, and how to fix
 * it. {@code fixFormats} lists the remediation scripts offered for it.
 */
public record Recommendation(String id, String displayName, String severity, Status status, String cause,
        String description, List<String> remediationSteps, List<String> fixFormats) {

    public enum Status {
        Healthy, Unhealthy, NotApplicable
    }
}
