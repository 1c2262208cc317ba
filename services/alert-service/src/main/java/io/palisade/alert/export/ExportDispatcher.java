package io.palisade.alert.export;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.jboss.logging.Logger;

import io.palisade.alert.persistence.Alert;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers the outbox. Each round claims due deliveries ({@code FOR UPDATE SKIP LOCKED}, so several instances share
 * the work) by moving their next attempt a lease ahead and writing the round's claim token, then sends each outside
 * any transaction: delivered rows are deleted, failed ones wait {@code base × 2^(attempts-1)} (capped) and are retried
 * until delivered, until their export is disabled or deleted, or until {@code max-attempts} failures; then, or at
 * once on a permanent failure, the row is dropped and counted in the export's {@code failed_count}. After a failure
 * the export's other rows of the round are released untried for the next pass (each row keeps its own backoff). The
 * alert is rendered as it is at send time.
 *
 * <p>Several replicas: every time is the database's ({@code now()}), never a replica's clock. Just before sending a
 * row, the round renews its lease on it, so the lease has to outlast one send (connect + request timeout), not a whole
 * round; if the round was too slow and another replica has claimed the row since, the renewal finds it gone and the
 * row is not sent. Every write after the send names the round's claim token, so a round that was overtaken anyway
 * cannot delete, reschedule or count a row another replica owns. An instance that dies mid-send leaves its claims to
 * expire, so delivery is at-least-once; receivers dedupe on {@code X-Palisade-Delivery}.
 */
@ApplicationScoped
public class ExportDispatcher {
    private static final Logger LOG = Logger.getLogger(ExportDispatcher.class);
    private static final int MAX_ERROR = 1000;

    private static final String CLAIM = """
            UPDATE export_delivery SET next_attempt_at = now() + interval '1 millisecond' * :leaseMillis,
                   claim_token = :token
             WHERE id IN (SELECT id FROM export_delivery WHERE next_attempt_at <= now()
                          ORDER BY next_attempt_at, created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING id, export_id, alert_id, change_kind, attempts, created_at
            """;
    /** Extends the round's lease on a row just before it is sent; no row: another round has claimed it since. */
    private static final String RENEW = """
            UPDATE export_delivery SET next_attempt_at = now() + interval '1 millisecond' * :leaseMillis
             WHERE id = :id AND claim_token = :token
            """;
    private static final String RELEASE = """
            UPDATE export_delivery SET next_attempt_at = now(), claim_token = NULL WHERE id = :id AND claim_token = :token
            """;
    private static final String RETRY = """
            UPDATE export_delivery SET attempts = :attempts, last_error = :error, claim_token = NULL,
                   next_attempt_at = now() + interval '1 millisecond' * :delayMillis
             WHERE id = :id AND claim_token = :token
            """;
    private static final String DROP = "DELETE FROM export_delivery WHERE id = :id AND claim_token = :token";

    private final ExportConfig config;
    private final EntityManager em;
    private final WebhookSender webhook;
    private final SyslogSender syslog;

    public ExportDispatcher(ExportConfig config, EntityManager em, WebhookSender webhook, SyslogSender syslog) {
        Duration send = config.connectTimeout().plus(config.requestTimeout());
        if (config.claimLease().compareTo(send.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("palisade.export.claim-lease (" + config.claimLease()
                    + ") must be at least twice connect-timeout + request-timeout (" + send.multipliedBy(2)
                    + "), the longest one delivery may take");
        }
        this.config = config;
        this.em = em;
        this.webhook = webhook;
        this.syslog = syslog;
    }

    /** One claimed row; {@code token} is the claiming round's, which every later write of the row names. */
    record Claim(UUID id, UUID token, UUID exportId, String alertId, String changeKind, int attempts,
            Instant createdAt) {
    }

    private record Target(AlertExport export, Alert alert) {
    }

    @Scheduled(identity = "export-dispatcher", every = "${palisade.export.dispatch-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dispatch() {
        // another round only while the last one tried a full batch (released rows wait for the next pass)
        int tried;
        do {
            tried = round();
        } while (tried == config.batchSize());
    }

    /**
     * One batch; returns how many deliveries it tried (a full batch tried means more may be due now). After a failure,
     * the export's other rows of the batch are released untried, due again at once, for the next pass: each row keeps
     * its own attempts and backoff, so one failing row never holds the others back for longer than a pass.
     */
    int round() {
        List<Claim> claims = QuarkusTransaction.requiringNew().call(this::claim);
        claims.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        Set<UUID> failing = new HashSet<>();
        int tried = 0;
        for (Claim claim : claims) {
            try {
                if (failing.contains(claim.exportId())) {
                    release(claim);
                    continue;
                }
                tried++;
                if (!deliver(claim)) {
                    failing.add(claim.exportId());
                }
            } catch (RuntimeException e) {
                // the claim expires and the delivery is retried; never let one row stop the others
                LOG.errorf(e, "export delivery %s failed unexpectedly", claim.id());
            }
        }
        return tried;
    }

    /** Gives a claimed row back untried: due now, so it sorts after the rows already waiting and is taken next pass. */
    private void release(Claim claim) {
        QuarkusTransaction.requiringNew().run(() -> fenced(RELEASE, claim).executeUpdate());
    }

    private List<Claim> claim() {
        UUID token = UUID.randomUUID();
        List<?> rows = em.createNativeQuery(CLAIM)
                .setParameter("leaseMillis", config.claimLease().toMillis())
                .setParameter("token", token)
                .setParameter("limit", config.batchSize())
                .getResultList();
        List<Claim> claims = new ArrayList<>();
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            claims.add(new Claim(uuid(c[0]), token, uuid(c[1]), (String) c[2], (String) c[3],
                    ((Number) c[4]).intValue(), instant(c[5])));
        }
        return claims;
    }

    /** A statement on the claimed row that changes nothing unless the row is still this round's claim. */
    private Query fenced(String sql, Claim claim) {
        return em.createNativeQuery(sql).setParameter("id", claim.id()).setParameter("token", claim.token());
    }

    private static void overtaken(Claim claim, String outcome) {
        LOG.warnf("export %s: delivery %s of alert %s %s, but another instance claimed it after this one's lease ran"
                + " out; its outcome is left to that instance", claim.exportId(), claim.id(), claim.alertId(),
                outcome);
    }

    /**
     * Sends one delivery; false if the export's target is failing (its other rows of this batch should wait for the
     * next pass). A permanent failure of this one record says nothing about the target: true.
     */
    private boolean deliver(Claim claim) {
        Target target = QuarkusTransaction.requiringNew().call(() -> {
            if (fenced(RENEW, claim).setParameter("leaseMillis", config.claimLease().toMillis())
                    .executeUpdate() == 0) {
                LOG.warnf("export %s: delivery %s of alert %s was claimed by another instance while it waited in"
                        + " this one's round (longer than palisade.export.claim-lease); not sent here",
                        claim.exportId(), claim.id(), claim.alertId());
                return null;
            }
            AlertExport export = AlertExport.findById(claim.exportId());
            Alert alert = Alert.findById(claim.alertId());
            if (export == null || !export.enabled || alert == null) {
                fenced(DROP, claim).executeUpdate();
                return null;
            }
            return new Target(export, alert);
        });
        if (target == null) {
            return true;
        }
        try {
            if (AlertExport.WEBHOOK.equals(target.export().kind)) {
                webhook.send(target.export(), target.alert(), claim.changeKind(), claim.id().toString());
            } else {
                syslog.send(target.export(), target.alert(), claim.changeKind());
            }
        } catch (DeliveryFailedException e) {
            failed(claim, e);
            return e.permanent();
        }
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            if (fenced(DROP, claim).executeUpdate() == 0) {
                overtaken(claim, "was delivered");
                return;
            }
            AlertExport.update("lastSuccessAt = ?1, deliveredCount = deliveredCount + 1 where id = ?2", now,
                    claim.exportId());
        });
        return true;
    }

    /** Schedules the retry, or drops the row and counts it as failed if the failure is permanent or the last try. */
    private void failed(Claim claim, DeliveryFailedException e) {
        String message = String.valueOf(e.getMessage());
        int attempts = claim.attempts() + 1;
        Instant now = Instant.now();
        int maxAttempts = Math.max(1, config.maxAttempts());
        if (e.permanent() || attempts >= maxAttempts) {
            String reason = e.permanent() ? "dropped, permanent failure (not retried): "
                    : "dropped after " + attempts + " failed attempts: ";
            String error = truncate(reason + message);
            LOG.errorf("export %s: delivery %s of alert %s %s", claim.exportId(), claim.id(), claim.alertId(), error);
            QuarkusTransaction.requiringNew().run(() -> {
                if (fenced(DROP, claim).executeUpdate() == 0) {
                    overtaken(claim, "failed");
                    return;
                }
                AlertExport.update("lastErrorAt = ?1, lastError = ?2, failedCount = failedCount + 1 where id = ?3",
                        now, error, claim.exportId());
            });
            return;
        }
        String error = truncate(message);
        Duration delay = backoff(attempts);
        LOG.warnf("export %s: delivery %s of alert %s failed (attempt %d, next in %s): %s", claim.exportId(),
                claim.id(), claim.alertId(), attempts, delay, error);
        QuarkusTransaction.requiringNew().run(() -> {
            if (fenced(RETRY, claim).setParameter("attempts", attempts).setParameter("error", error)
                    .setParameter("delayMillis", delay.toMillis()).executeUpdate() == 0) {
                overtaken(claim, "failed");
                return;
            }
            AlertExport.update("lastErrorAt = ?1, lastError = ?2 where id = ?3", now, error, claim.exportId());
        });
    }

    private static String truncate(String message) {
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
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
