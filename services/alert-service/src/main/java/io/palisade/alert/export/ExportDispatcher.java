package io.palisade.alert.export;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.palisade.alert.persistence.Alert;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers the outbox. Each round claims due deliveries ({@code FOR UPDATE SKIP LOCKED}, so several instances share
 * the work) by moving their next attempt a lease ahead, then sends each outside any transaction: delivered rows are
 * deleted, failed ones wait {@code base × 2^(attempts-1)} (capped) and are retried until delivered, or until their
 * export is disabled or deleted. The alert is rendered as it is at send time. An instance that dies mid-send leaves
 * its claims to expire, so delivery is at-least-once; receivers dedupe on {@code X-Palisade-Delivery}.
 */
@ApplicationScoped
public class ExportDispatcher {
    private static final Logger LOG = Logger.getLogger(ExportDispatcher.class);
    private static final int MAX_ERROR = 1000;

    private static final String CLAIM = """
            UPDATE export_delivery SET next_attempt_at = :leaseUntil
             WHERE id IN (SELECT id FROM export_delivery WHERE next_attempt_at <= :now
                          ORDER BY next_attempt_at, created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id, export_id, alert_id, change_kind, attempts, created_at
            """;

    private final ExportConfig config;
    private final EntityManager em;
    private final WebhookSender webhook;
    private final SyslogSender syslog;

    public ExportDispatcher(ExportConfig config, EntityManager em, WebhookSender webhook, SyslogSender syslog) {
        this.config = config;
        this.em = em;
        this.webhook = webhook;
        this.syslog = syslog;
    }

    record Claim(UUID id, UUID exportId, String alertId, String changeKind, int attempts, Instant createdAt) {
    }

    private record Target(AlertExport export, Alert alert) {
    }

    @Scheduled(identity = "export-dispatcher", every = "${palisade.export.dispatch-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dispatch() {
        int claimed;
        do {
            claimed = round();
        } while (claimed == config.batchSize());
    }

    /** One batch; returns how many deliveries it claimed. */
    int round() {
        List<Claim> claims = QuarkusTransaction.requiringNew().call(this::claim);
        claims.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        // after a failure, the export's other deliveries of this round wait with it instead of failing one by one
        Map<UUID, Instant> backedOff = new HashMap<>();
        for (Claim claim : claims) {
            Instant retryAt = backedOff.get(claim.exportId());
            if (retryAt != null) {
                QuarkusTransaction.requiringNew().run(() -> ExportDelivery.update("nextAttemptAt = ?1 where id = ?2",
                        retryAt, claim.id()));
                continue;
            }
            try {
                Instant failedUntil = deliver(claim);
                if (failedUntil != null) {
                    backedOff.put(claim.exportId(), failedUntil);
                }
            } catch (RuntimeException e) {
                // the claim expires and the delivery is retried; never let one row stop the others
                LOG.errorf(e, "export delivery %s failed unexpectedly", claim.id());
            }
        }
        return claims.size();
    }

    private List<Claim> claim() {
        Instant now = Instant.now();
        List<?> rows = em.createNativeQuery(CLAIM)
                .setParameter("leaseUntil", now.plus(config.claimLease()))
                .setParameter("now", now)
                .setParameter("limit", config.batchSize())
                .getResultList();
        List<Claim> claims = new ArrayList<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            claims.add(new Claim(uuid(c[0]), uuid(c[1]), (String) c[2], (String) c[3], ((Number) c[4]).intValue(),
                    instant(c[5])));
        }
        return claims;
    }

    /** Sends one delivery; returns when the export may be tried again if it failed, null otherwise. */
    private Instant deliver(Claim claim) {
        Target target = QuarkusTransaction.requiringNew().call(() -> {
            AlertExport export = AlertExport.findById(claim.exportId());
            Alert alert = Alert.findById(claim.alertId());
            if (export == null || !export.enabled || alert == null) {
                ExportDelivery.deleteById(claim.id());
                return null;
            }
            return new Target(export, alert);
        });
        if (target == null) {
            return null;
        }
        try {
            if (AlertExport.WEBHOOK.equals(target.export().kind)) {
                webhook.send(target.export(), target.alert(), claim.changeKind(), claim.id().toString());
            } else {
                syslog.send(target.export(), target.alert(), claim.changeKind());
            }
        } catch (DeliveryFailedException e) {
            return failed(claim, e.getMessage());
        }
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            ExportDelivery.deleteById(claim.id());
            AlertExport.update("lastSuccessAt = ?1, deliveredCount = deliveredCount + 1 where id = ?2", now,
                    claim.exportId());
        });
        return null;
    }

    private Instant failed(Claim claim, String message) {
        String error = message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
        int attempts = claim.attempts() + 1;
        Instant now = Instant.now();
        Instant next = now.plus(backoff(attempts));
        LOG.warnf("export %s: delivery %s of alert %s failed (attempt %d, next at %s): %s", claim.exportId(),
                claim.id(), claim.alertId(), attempts, next, error);
        QuarkusTransaction.requiringNew().run(() -> {
            ExportDelivery.update("attempts = ?1, nextAttemptAt = ?2, lastError = ?3 where id = ?4", attempts, next,
                    error, claim.id());
            AlertExport.update("lastErrorAt = ?1, lastError = ?2 where id = ?3", now, error, claim.exportId());
        });
        return next;
    }

    /** {@code base × 2^(attempts-1)}, at most the cap. */
    Duration backoff(int attempts) {
        Duration delay = config.backoffBase().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        return delay.compareTo(config.backoffCap()) > 0 ? config.backoffCap() : delay;
    }

    private static UUID uuid(Object value) {
        return value instanceof UUID id ? id : UUID.fromString(value.toString());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return Instant.parse(value.toString());
    }
}
