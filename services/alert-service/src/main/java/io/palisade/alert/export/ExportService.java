package io.palisade.alert.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStatus;
import io.palisade.alert.rest.InputText;
import io.palisade.common.security.CallerScopes;
import io.palisade.common.problem.ProblemException;
import io.quarkus.panache.common.Sort;

/**
 * Manages exports. An export sends alerts of every connector its filter lets through, so a caller limited to some
 * connectors sees and manages only exports whose filter names connectors, all of them within the caller's scope.
 */
@ApplicationScoped
public class ExportService {
    static final int MIN_SECRET = 16;

    private final EntityManager em;
    private final WebhookSender webhook;
    private final SyslogSender syslog;

    public ExportService(EntityManager em, WebhookSender webhook, SyslogSender syslog) {
        this.em = em;
        this.webhook = webhook;
        this.syslog = syslog;
    }

    /** The queue of an export: deliveries waiting, and the most attempts one of them has failed. */
    public record Backlog(long pending, int maxAttempts) {
        static final Backlog EMPTY = new Backlog(0, 0);
    }

    /** What {@code POST /api/exports/{id}/test} reports. */
    public record TestOutcome(boolean delivered, String error) {
    }

    public List<AlertExport> list(CallerScopes scopes) {
        return AlertExport.<AlertExport> listAll(Sort.ascending("name")).stream()
                .filter(e -> visible(e, scopes)).toList();
    }

    public AlertExport get(UUID id, CallerScopes scopes) {
        AlertExport export = AlertExport.findById(id);
        if (export == null || !visible(export, scopes)) {
            throw ProblemException.notFound("Export", id);
        }
        return export;
    }

    public Map<UUID, Backlog> backlogs() {
        Map<UUID, Backlog> backlogs = new HashMap<>();
        List<?> rows = em.createNativeQuery(
                "SELECT export_id, count(*), max(attempts) FROM export_delivery GROUP BY export_id").getResultList();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            backlogs.put(UUID.fromString(columns[0].toString()),
                    new Backlog(((Number) columns[1]).longValue(), ((Number) columns[2]).intValue()));
        }
        return backlogs;
    }

    public Backlog backlog(UUID id) {
        return backlogs().getOrDefault(id, Backlog.EMPTY);
    }

    @Transactional
    public AlertExport create(ExportSettings settings, String user, CallerScopes scopes) {
        AlertExport export = new AlertExport();
        export.id = UUID.randomUUID();
        apply(export, settings, scopes);
        export.createdBy = user;
        export.createdAt = Instant.now();
        export.updatedBy = user;
        export.updatedAt = export.createdAt;
        export.persist();
        return export;
    }

    /** Replaces the settings; a webhook secret left out keeps the stored one. Disabling drops the queue. */
    @Transactional
    public AlertExport update(UUID id, ExportSettings settings, String user, CallerScopes scopes) {
        AlertExport export = get(id, scopes);
        apply(export, settings, scopes);
        export.updatedBy = user;
        export.updatedAt = Instant.now();
        if (!export.enabled) {
            ExportDelivery.delete("exportId", id);
        }
        return export;
    }

    @Transactional
    public void delete(UUID id, CallerScopes scopes) {
        get(id, scopes).delete();
        ExportDelivery.delete("exportId", id);
    }

    /** Sends a made-up Informational alert to the export's target right away; changes no status. */
    public TestOutcome test(UUID id, CallerScopes scopes) {
        AlertExport export = get(id, scopes);
        Alert sample = sample();
        try {
            if (AlertExport.WEBHOOK.equals(export.kind)) {
                webhook.send(export, sample, "Test", "test-" + UUID.randomUUID());
            } else {
                syslog.send(export, sample, "Test");
            }
            return new TestOutcome(true, null);
        } catch (DeliveryFailedException e) {
            return new TestOutcome(false, e.getMessage());
        }
    }

    private static Alert sample() {
        Instant now = Instant.now();
        Alert alert = new Alert();
        alert.id = "test-" + UUID.randomUUID();
        alert.connectorId = new UUID(0, 0);
        alert.clusterId = new UUID(0, 0);
        alert.alertType = "K8S_PalisadeExportTest";
        alert.displayName = "Palisade export test";
        alert.description = "A test record sent from the export settings; no alert behind it.";
        alert.severity = "Informational";
        alert.productComponentName = "Containers";
        alert.startTimeUtc = now;
        alert.endTimeUtc = now;
        alert.timeGeneratedUtc = now;
        alert.status = AlertStatus.Active;
        return alert;
    }

    private static boolean visible(AlertExport export, CallerScopes scopes) {
        if (scopes.all()) {
            return true;
        }
        return export.connectorIds != null && !export.connectorIds.isEmpty()
                && export.connectorIds.stream().allMatch(id -> scopes.permits(UUID.fromString(id)));
    }

    private void apply(AlertExport export, ExportSettings s, CallerScopes scopes) {
        if (s == null) {
            throw ProblemException.badRequest("body", "an export needs at least name and kind");
        }
        String name = s.name() == null ? "" : s.name().strip();
        if (name.isEmpty() || name.length() > 100 || InputText.hasControlCharacters(name)) {
            throw ProblemException.badRequest("name", "required, 1 to 100 characters, no control characters");
        }
        if (AlertExport.count("name = ?1 and id <> ?2", name, export.id) > 0) {
            throw ProblemException.conflict("an export named '" + name + "' exists already");
        }
        if (!AlertExport.WEBHOOK.equals(s.kind()) && !AlertExport.SYSLOG.equals(s.kind())) {
            throw ProblemException.badRequest("kind", "must be 'webhook' or 'syslog'");
        }
        boolean isWebhook = AlertExport.WEBHOOK.equals(s.kind());
        applyFilter(export, s.filter(), scopes);
        if (isWebhook) {
            if (s.syslog() != null) {
                throw ProblemException.badRequest("syslog", "only for kind 'syslog'");
            }
            applyWebhook(export, s.webhook());
            export.host = null;
            export.port = null;
            export.protocol = null;
        } else {
            if (s.webhook() != null) {
                throw ProblemException.badRequest("webhook", "only for kind 'webhook'");
            }
            applySyslog(export, s.syslog());
            export.url = null;
            export.secret = null;
        }
        export.name = name;
        export.kind = s.kind();
        export.enabled = s.enabled() == null || s.enabled();
    }

    private static void applyFilter(AlertExport export, ExportSettings.Filter filter, CallerScopes scopes) {
        ExportSettings.Filter f = filter == null ? new ExportSettings.Filter(null, null, null, null) : filter;
        if (f.minSeverity() != null && !ExportSeverity.NAMES.contains(f.minSeverity())) {
            throw ProblemException.badRequest("filter.minSeverity", "must be one of " + ExportSeverity.NAMES);
        }
        List<String> types = emptyToNull(f.alertTypes());
        if (types != null && types.stream().anyMatch(t -> t == null || t.isBlank() || t.length() > 128
                || InputText.hasControlCharacters(t))) {
            throw ProblemException.badRequest("filter.alertTypes", "alert types are 1 to 128 characters, "
                    + "no control characters");
        }
        List<String> statuses = emptyToNull(f.statuses());
        if (statuses != null) {
            for (String status : statuses) {
                try {
                    AlertStatus.valueOf(String.valueOf(status));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("filter.statuses",
                            "'" + status + "' is not one of " + List.of(AlertStatus.values()));
                }
            }
        }
        List<UUID> connectors = emptyToNull(f.connectorIds());
        if (connectors != null && connectors.contains(null)) {
            throw ProblemException.badRequest("filter.connectorIds", "must be connector ids");
        }
        if (!scopes.all() && (connectors == null || !connectors.stream().allMatch(scopes::permits))) {
            throw new ProblemException(403, "Forbidden",
                    "filter.connectorIds must name only connectors within your scope");
        }
        export.minSeverity = f.minSeverity();
        export.minSeverityRank = f.minSeverity() == null ? 0 : ExportSeverity.rank(f.minSeverity());
        export.alertTypes = types;
        export.statuses = statuses;
        export.connectorIds = connectors == null ? null : connectors.stream().map(UUID::toString).toList();
    }

    private static void applyWebhook(AlertExport export, ExportSettings.Webhook webhook) {
        if (webhook == null || webhook.url() == null) {
            throw ProblemException.badRequest("webhook.url", "required for kind 'webhook'");
        }
        try {
            URI uri = new URI(webhook.url());
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getUserInfo() != null || webhook.url().length() > 2048) {
                throw ProblemException.badRequest("webhook.url",
                        "must be an absolute http(s) URL with a host and without user info, at most 2048 characters");
            }
            if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
                throw ProblemException.badRequest("webhook.url", "the port must be 1 to 65535");
            }
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("webhook.url", "not a URL: " + e.getReason());
        }
        String secret = webhook.secret() != null ? webhook.secret() : export.secret;
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > 512) {
            throw ProblemException.badRequest("webhook.secret",
                    "required, " + MIN_SECRET + " to 512 characters (it signs every body)");
        }
        export.url = webhook.url();
        export.secret = secret;
    }

    private static void applySyslog(AlertExport export, ExportSettings.Syslog syslog) {
        if (syslog == null || syslog.host() == null || syslog.host().isBlank()) {
            throw ProblemException.badRequest("syslog.host", "required for kind 'syslog'");
        }
        if (syslog.host().length() > 255 || !syslog.host().matches("[A-Za-z0-9.:\\-_\\[\\]]+")) {
            throw ProblemException.badRequest("syslog.host", "must be a host name or IP address");
        }
        if (syslog.port() == null || syslog.port() < 1 || syslog.port() > 65535) {
            throw ProblemException.badRequest("syslog.port", "required, 1 to 65535");
        }
        String protocol = syslog.protocol() == null ? "tcp" : syslog.protocol();
        if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
            throw ProblemException.badRequest("syslog.protocol", "must be 'tcp' or 'udp'");
        }
        export.host = syslog.host();
        export.port = syslog.port();
        export.protocol = protocol;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
