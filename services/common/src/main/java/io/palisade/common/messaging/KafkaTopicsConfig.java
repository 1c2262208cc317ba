package io.palisade.common.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service lays out the platform's topics at start ({@code palisade.kafka.*}). */
@ConfigMapping(prefix = "palisade.kafka")
public interface KafkaTopicsConfig {
    /** Replicas per partition of the topics this service creates; 1 for a single broker, 3 in production. */
    @WithDefault("1")
    short replicationFactor();

    /** Whether this service creates missing topics at start (the gateway, which uses no Kafka, does not). */
    @WithDefault("true")
    boolean topicBootstrapEnabled();

    /** How long to wait for the broker while creating topics before giving up (readiness reports it). */
    @WithDefault("PT60S")
    Duration topicBootstrapTimeout();
}
