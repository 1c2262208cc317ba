package io.palisade.alert.export;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How exports are delivered ({@code palisade.export.*}). */
@ConfigMapping(prefix = "palisade.export")
public interface ExportConfig {
    /** How often the dispatcher looks for due deliveries. */
    @WithDefault("2s")
    Duration dispatchInterval();

    /** Delay before the first retry of a failed delivery; each further failure doubles it. */
    @WithDefault("2s")
    Duration backoffBase();

    /** The longest delay between two attempts. */
    @WithDefault("5m")
    Duration backoffCap();

    /**
     * How many times a delivery is tried before it is dropped and counted as failed (a permanent failure, such as a
     * webhook 4xx other than 408/429, is dropped at once).
     */
    @WithDefault("20")
    int maxAttempts();

    /** How many due deliveries one dispatcher round claims. */
    @WithDefault("20")
    int batchSize();

    /**
     * How long a claimed delivery is reserved for the instance that claimed it (by the database's clock); if that
     * instance dies mid-send, the delivery is retried after this (at-least-once). The claim is renewed just before each
     * send, so this must outlast one send, not a whole round: at least twice {@code connect-timeout + request-timeout}
     * (checked at startup). A row that waited longer than this in a slow round, and was claimed by another instance
     * meanwhile, is left to that instance.
     */
    @WithDefault("5m")
    Duration claimLease();

    /** Connect timeout of webhook and syslog TCP connections. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long a webhook may take to answer, and a syslog TCP write to complete. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Syslog facility in the PRI of every record (16 = local0). */
    @WithDefault("16")
    int syslogFacility();

    /** HOSTNAME of the syslog header; the machine's host name when not set. */
    Optional<String> syslogHostname();

    /** Device Version of the CEF header. */
    @WithDefault("${quarkus.application.version:dev}")
    String productVersion();
}
