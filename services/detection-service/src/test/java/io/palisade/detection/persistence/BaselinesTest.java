package io.palisade.detection.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.TestClusters;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.service.RuleCatalogue;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The anomaly baseline answers from its memory exactly what it answers from PostgreSQL: each question below is asked
 * first when the database must be read and again when the answer is remembered.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class BaselinesTest {
    @Inject
    Baselines baselines;

    @Inject
    RuleCatalogue catalogue;

    @Inject
    EntityManager em;

    private final UUID cluster = UUID.randomUUID();
    private final String sa = "system:serviceaccount:shop:web-" + UUID.randomUUID().toString().substring(0, 6);

    private DetectionRule rule() {
        return catalogue.engine().rules().stream().filter(r -> "service-account-rare-operation".equals(r.id()))
                .findFirst().orElseThrow();
    }

    private boolean rare(String auditId, String verb, String resource, Instant time) throws Exception {
        JsonNode event = EventCodec.mapper().readTree(TestClusters.event(auditId, verb, resource, "x", sa, time, null));
        return baselines.isRare(cluster, rule(), event);
    }

    @Test
    void rememberedOperationsAndSubjectsGiveTheDatabasesAnswers() throws Exception {
        Instant learning = Instant.now().minus(20, ChronoUnit.DAYS);
        Instant now = Instant.now();
        assertFalse(rare(UUID.randomUUID().toString(), "get", "configmaps", learning), "learning");
        // a known operation: read from the database, then from memory
        assertFalse(rare(UUID.randomUUID().toString(), "get", "configmaps", now));
        assertFalse(rare(UUID.randomUUID().toString(), "get", "configmaps", now));
        assertFalse(rare(UUID.randomUUID().toString(), "get", "configmaps", now));

        // an operation never seen after the learning period is rare, and stays rare for the same event (redelivery)
        String first = UUID.randomUUID().toString();
        assertTrue(rare(first, "list", "secrets", now));
        assertTrue(rare(first, "list", "secrets", now), "redelivered, read from the database");
        assertTrue(rare(first, "list", "secrets", now), "redelivered, answered from memory");
        assertFalse(rare(UUID.randomUUID().toString(), "list", "secrets", now), "the next one is known");

        // an event older than the remembered first sighting still moves the first sighting in PostgreSQL
        Instant older = Instant.now().minus(30, ChronoUnit.DAYS);
        assertFalse(rare(UUID.randomUUID().toString(), "get", "configmaps", older));
        Instant firstSeen = QuarkusTransaction.requiringNew().call(() -> Baselines.instant(em.createNativeQuery(
                "SELECT first_seen FROM baseline_subject WHERE cluster_id = ?1 AND subject = ?2")
                .setParameter(1, cluster).setParameter(2, sa).getSingleResult()));
        assertEquals(older.truncatedTo(ChronoUnit.SECONDS), firstSeen.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void subjectsAndOperationsLongerThanTheirColumnsAreKeptByDigest() throws Exception {
        // found by IngestAndApiFuzzTest: a forged event's 600-character user went to the dead-letter topic
        String longSubject = "system:serviceaccount:shop:" + "w".repeat(600);
        String longResource = "r".repeat(600);
        Instant learning = Instant.now().minus(20, ChronoUnit.DAYS);
        assertFalse(rareFor(longSubject, "get", longResource, learning), "learning");
        assertFalse(rareFor(longSubject, "get", longResource, Instant.now()), "known, though longer than its column");
        assertTrue(rareFor(longSubject, "delete", longResource, Instant.now()), "a new operation is still rare");
    }

    private boolean rareFor(String subject, String verb, String resource, Instant time) throws Exception {
        JsonNode event = EventCodec.mapper().readTree(TestClusters.event(UUID.randomUUID().toString(), verb, resource,
                "x", subject, time, null));
        return baselines.isRare(cluster, rule(), event);
    }
}
