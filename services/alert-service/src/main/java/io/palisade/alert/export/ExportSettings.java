package io.palisade.alert.export;

import java.util.List;
import java.util.UUID;

/**
 * What an admin configures for an export (the body of {@code POST/PUT /api/exports}). {@code webhook} goes with kind
 * {@code webhook}, {@code syslog} with kind {@code syslog}; every part of {@code filter} is optional.
 */
public record ExportSettings(String name, String kind, Boolean enabled, Filter filter, Webhook webhook,
        Syslog syslog) {

    /** Which alert changes to export: all set parts must match (e.g. {@code {"minSeverity": "High"}}). */
    public record Filter(String minSeverity, List<String> alertTypes, List<String> statuses, List<UUID> connectorIds) {
    }

    /** {@code secret} signs every body; on update it may be left out to keep the stored one. */
    public record Webhook(String url, String secret) {
    }

    /** {@code protocol} {@code tcp} (default) or {@code udp}. */
    public record Syslog(String host, Integer port, String protocol) {
    }
}
