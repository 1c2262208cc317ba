package io.palisade.connector.persistence;

import java.util.regex.Pattern;

/** Where a connector's clusters live, and what identifies it there (Defender's {@code hierarchyIdentifier}). */
public enum Environment {
    AzureSubscription(Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
            "a subscription GUID"),
    AwsAccount(Pattern.compile("\\d{12}"), "a 12-digit AWS account id"),
    GcpProject(Pattern.compile("\\d{6,20}"), "a GCP project number"),
    OnPrem(Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"), "a name of letters, digits, '.', '_' or '-'");

    private final Pattern hierarchyIdentifier;
    private final String expected;

    Environment(Pattern hierarchyIdentifier, String expected) {
        this.hierarchyIdentifier = hierarchyIdentifier;
        this.expected = expected;
    }

    /** Null when the identifier fits this environment, else what was expected. On-prem may omit it. */
    public String checkHierarchyIdentifier(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            return this == OnPrem ? null : "is required for " + name() + " (" + expected + ")";
        }
        return hierarchyIdentifier.matcher(identifier).matches() ? null : "must be " + expected + " for " + name();
    }
}
