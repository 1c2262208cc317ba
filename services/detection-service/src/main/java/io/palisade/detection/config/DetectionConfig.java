package io.palisade.detection.config;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of ingest and detection. */
public final class DetectionConfig {
    private DetectionConfig() {
    }

    @ConfigMapping(prefix = "palisade.ingest")
    public interface Ingest {
        /** Most audit events one request may carry; a larger batch is refused with 413. */
        @WithDefault("5000")
        int maxEventsPerRequest();

        /** Largest request body an ingest endpoint reads; a larger one is refused with 413 before it is parsed. */
        @WithDefault("12582912")
        long maxRequestBytes();

        /** Largest decompressed size of a compressed delivery (Firehose gzip), against decompression bombs. */
        @WithDefault("67108864")
        long maxDecompressedBytes();

        /**
         * How many ingest requests are read, parsed and put on Kafka at once; more wait for a turn (a batch in
         * flight holds its body, its parsed events and its records: bounding them bounds the heap under load).
         */
        @WithDefault("4")
        int maxConcurrentBatches();

        /** How long a request waits for its turn before it is answered 503 (the sender retries). */
        @WithDefault("10s")
        java.time.Duration maxWait();
    }

    @ConfigMapping(prefix = "palisade.detection")
    public interface Detection {
        /** Rule catalogue files on the classpath, loaded at start; a rule that does not validate stops the start. */
        @WithDefault("rules/control-plane.yaml")
        List<String> ruleFiles();

        /** The mapping of the sensor's Falco rules to node alerts (K8S.NODE_*), on the classpath. */
        @WithDefault("rules/node-sensor.yaml")
        String nodeMappingFile();

        /**
         * The same rule on the same entity within one window of this length is one alert (count and end time grow)
         * instead of a flood of alerts. Windows are fixed slices of event time.
         */
        @WithDefault("PT1H")
        java.time.Duration correlationWindow();

        /**
         * Threat-intelligence IP lists kept in files (list name → path; one address or CIDR range per line):
         * re-read when the file changes; such a list cannot be replaced through the API.
         */
        java.util.Map<String, String> ipListFiles();

        /** How often correlation state of long-closed windows is forgotten ({@code off}: never). */
        @WithDefault("1h")
        String correlationPurgeInterval();

        /** How often each replica checks for rule, setting and IP-list changes made through another replica. */
        @WithDefault("5s")
        java.time.Duration refreshInterval();
    }
}
