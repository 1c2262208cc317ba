package io.palisade.connector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of connector-service ({@code palisade.connector.*}). */
@ConfigMapping(prefix = "palisade.connector")
public interface ConnectorConfig {
    /**
     * Base64 of a 256-bit AES key that encrypts clusters' Kubernetes API credentials at rest. Required: there is no
     * default outside dev and test; {@code ./palisade up} generates one per installation.
     */
    String credentialsKey();

    /** How often every cluster with Kubernetes API access is checked (connectivity, inventory, sensor). */
    @WithDefault("5m")
    String checkInterval();

    /** The gateway URL as protected clusters reach it: where their audit webhook and sensor send events. */
    @WithDefault("http://127.0.0.1:8080")
    String publicGatewayUrl();

    /** A protected cluster that sent no audit event for this long gets the audit-log recommendation. */
    @WithDefault("PT30M")
    java.time.Duration auditLogSilence();

    /** The oldest Kubernetes minor version still supported upstream, e.g. "1.32". */
    @WithDefault("1.32")
    String minSupportedKubernetesVersion();
}
