package io.palisade.alert.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The live alert stream, {@code GET /api/alerts/stream} ({@code palisade.alert-stream.*}). */
@ConfigMapping(prefix = "palisade.alert-stream")
public interface AlertStreamConfig {
    /**
     * How often an idle stream sends a comment line, so that proxies and load balancers (which close connections
     * silent for 30-60 s) keep it open.
     */
    @WithDefault("15s")
    Duration heartbeat();

    /**
     * How many changes may wait for one subscriber that reads too slowly; one more and its stream is closed (it
     * reconnects and reloads the list), so a slow client never holds memory without bound nor silently misses alerts.
     */
    @WithDefault("256")
    int bufferSize();

    /**
     * How often the connection on which this replica listens for alert changes (PostgreSQL {@code LISTEN}) is checked
     * while it is quiet; a connection that does not answer within 5 s is replaced, so a silently dropped connection
     * (no TCP reset) is noticed within about this interval.
     */
    @WithDefault("30s")
    Duration listenerCheckInterval();

    /**
     * The longest wait between two attempts to (re)open the listening connection; the wait starts at 1 s and doubles
     * up to this.
     */
    @WithDefault("30s")
    Duration listenerRetryMax();
}
