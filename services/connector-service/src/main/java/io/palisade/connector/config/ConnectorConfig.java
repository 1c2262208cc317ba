package io.palisade.connector.config;

import io.smallrye.config.ConfigMapping;

/** Settings of connector-service ({@code palisade.connector.*}). */
@ConfigMapping(prefix = "palisade.connector")
public interface ConnectorConfig {
    /**
     * Base64 of a 256-bit AES key that encrypts clusters' Kubernetes API credentials at rest. Required: there is no
     * default outside dev and test; {@code ./palisade up} generates one per installation.
     */
    String credentialsKey();
}
