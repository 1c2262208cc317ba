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

        /** How many failed authentications a source may make before its ingest requests are refused (429). */
        FailedAuth failedAuth();

        /**
         * Addresses (or CIDR ranges) of the proxies in front of ingest, e.g. the gateway: a request whose remote
         * address is one of them is counted against the last address of its {@code X-Forwarded-For}, which the
         * proxy sets to its own client. Any other sender's {@code X-Forwarded-For} is ignored (it could say anything).
         */
        @WithDefault("127.0.0.1,::1")
        List<String> trustedProxies();

        /** Failed ingest authentications (401: no token, or one no cluster has), counted per source address. */
        interface FailedAuth {
            /** Failures a source may make within one window; every further request of the window gets 429. */
            @WithDefault("10")
            int maxAttempts();

            /** The window, from a source's first failure; when it ends, the source is free and counts from zero. */
            @WithDefault("60s")
            java.time.Duration window();

            /** Most sources tracked at once (bounded memory); beyond it the oldest window is forgotten. */
            @WithDefault("100000")
            int maxTrackedSources();
        }
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
