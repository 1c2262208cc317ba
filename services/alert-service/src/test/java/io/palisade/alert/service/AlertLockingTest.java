package io.palisade.alert.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.palisade.alert.OtherReplica;
import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.AlertStatus;
import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Replicas change the same alert at the same time: a correlation update (Kafka, on one replica) and a user's status
 * change (API, on another) each lock the alert while they read and write it, so neither writes back the other's
 * change with stale values. Each test holds the other side's change open in a transaction of its own, lets this
 * replica's change run into it, then commits.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class AlertLockingTest {
    static final Instant END = Instant.parse("2026-01-10T10:00:00Z");

    @Inject
    AlertService alerts;

    static AlertEvent event(String id, UUID connector, UUID cluster, Instant end, int count) {
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, id, "K8S_ExecIntoPod", "Exec into pod",
                "Someone ran a shell in a pod", "Medium", "Execution", List.of("T1609"), "prod-eu",
                List.of(Map.of("type", "K8s-cluster", "name", "prod-eu")), List.of("Check the user"),
                end.minus(1, ChronoUnit.HOURS), end, end, List.of(), Map.of("count", Integer.toString(count)),
                EventCodec.mapper().createObjectNode().put("type", "auditEvents"), "k", "Containers", connector,
                cluster, "exec-into-pod");
    }

    static Alert load(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> findById(id));
    }

    @Test
    void aCorrelationUpdateNeverRevertsADismissalMadeMeanwhile() throws Exception {
        String id = UUID.randomUUID().toString();
        UUID connector = UUID.randomUUID();
        UUID cluster = UUID.randomUUID();
        alerts.receive(event(id, connector, cluster, END, 1));

        Instant later = END.plus(10, ChronoUnit.MINUTES);
        try (OtherReplica user = OtherReplica.connect()) {
            assertEquals(1, user.update("UPDATE alert SET status = 'Dismissed' WHERE id = ?", id));
            CompletableFuture<Void> correlation = CompletableFuture.runAsync(
                    () -> alerts.receive(event(id, connector, cluster, later, 5)));
            user.awaitBlockingAnother();
            user.commit();
            correlation.get(20, TimeUnit.SECONDS);
        }

        Alert alert = load(id);
        assertEquals(AlertStatus.Dismissed, alert.status, "the user's dismissal stands");
        assertEquals(later, alert.endTimeUtc, "and the correlation update is applied too");
        assertEquals("5", alert.extendedProperties.get("count"));
    }

    @Test
    void aStatusChangeNeverRevertsACorrelationUpdateMadeMeanwhile() throws Exception {
        String id = UUID.randomUUID().toString();
        alerts.receive(event(id, UUID.randomUUID(), UUID.randomUUID(), END, 1));

        Instant later = END.plus(10, ChronoUnit.MINUTES);
        try (OtherReplica correlation = OtherReplica.connect()) {
            assertEquals(1, correlation.update("UPDATE alert SET end_time_utc = ?, extended_properties = "
                    + "'{\"count\":\"5\"}'::jsonb WHERE id = ?", later.atOffset(ZoneOffset.UTC), id));
            CompletableFuture<Void> dismissal = CompletableFuture.runAsync(
                    () -> alerts.changeStatus(id, AlertStatus.Dismissed, "alice", "seen"));
            correlation.awaitBlockingAnother();
            correlation.commit();
            dismissal.get(20, TimeUnit.SECONDS);
        }

        Alert alert = load(id);
        assertEquals(AlertStatus.Dismissed, alert.status);
        assertEquals(later, alert.endTimeUtc, "the correlation update stands");
        assertEquals("5", alert.extendedProperties.get("count"));
        assertTrue(alerts.history(id).stream().anyMatch(c -> c.toStatus == AlertStatus.Dismissed));
    }

    @Test
    void thePurgeSkipsAnAlertAnotherTransactionHoldsInsteadOfWaitingForIt() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant longAgo = Instant.now().minus(200, ChronoUnit.DAYS);
        alerts.receive(event(id, UUID.randomUUID(), UUID.randomUUID(), longAgo, 1));

        try (OtherReplica other = OtherReplica.connect()) {
            other.queryValue("SELECT id FROM alert WHERE id = ? FOR UPDATE", id);
            // another replica's status change or purge holds the alert: this purge passes it over, without waiting
            CompletableFuture<Integer> purge = CompletableFuture.supplyAsync(
                    () -> alerts.purgeEndedBefore(longAgo.plus(Duration.ofDays(1)), 100));
            purge.get(10, TimeUnit.SECONDS);
            assertEquals(id, load(id).id, "the held alert is still there");
        }
        alerts.purgeEndedBefore(longAgo.plus(Duration.ofDays(1)), 100);
        assertEquals(null, load(id), "purged once released");
    }
}
