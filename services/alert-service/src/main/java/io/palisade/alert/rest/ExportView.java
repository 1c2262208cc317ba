package io.palisade.alert.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.palisade.alert.export.AlertExport;
import io.palisade.alert.export.ExportService;
import io.palisade.alert.export.ExportSettings;

/** An export as the API shows it: its settings (never the webhook secret, only whether one is set) and its status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportView(UUID id, String name, String kind, boolean enabled, ExportSettings.Filter filter,
        Webhook webhook, ExportSettings.Syslog syslog, Status status, String createdBy, Instant createdAt,
        String updatedBy, Instant updatedAt) {

    public record Webhook(String url, boolean secretSet) {
    }

    /**
     * How delivery fares: last success and error, how many were delivered, how many were dropped undelivered
     * (permanent failures, or out of attempts), and the queue still waiting.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Status(Instant lastSuccessAt, Instant lastErrorAt, String lastError, long deliveredCount,
            long failedDeliveries, long pendingDeliveries, int maxAttempts) {
    }

    public static ExportView of(AlertExport e, ExportService.Backlog backlog) {
        var filter = new ExportSettings.Filter(e.minSeverity, e.alertTypes, e.statuses,
                e.connectorIds == null ? null : e.connectorIds.stream().map(UUID::fromString).toList());
        Webhook webhook = AlertExport.WEBHOOK.equals(e.kind) ? new Webhook(e.url, e.secret != null) : null;
        var syslog = AlertExport.SYSLOG.equals(e.kind) ? new ExportSettings.Syslog(e.host, e.port, e.protocol) : null;
        return new ExportView(e.id, e.name, e.kind, e.enabled, filter, webhook, syslog,
                new Status(e.lastSuccessAt, e.lastErrorAt, e.lastError, e.deliveredCount, e.failedCount,
                        backlog.pending(), backlog.maxAttempts()),
                e.createdBy, e.createdAt, e.updatedBy, e.updatedAt);
    }

    /** The list body: {@code {"value": [...]}} like the other lists (exports are few; no paging). */
    public record ExportList(List<ExportView> value) {
    }
}
