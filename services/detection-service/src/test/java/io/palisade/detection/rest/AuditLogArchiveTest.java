package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.detection.persistence.ArchivePartitions;
import io.palisade.detection.persistence.AuditArchive;
import io.palisade.detection.service.ArchiveMaintenance;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The audit archive: what ingest accepts is archived once, found by every filter, partitioned by day and purged. */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class AuditLogArchiveTest {
    private static final String INGEST = "/ingest/k8s-audit";
    private static final String AUDIT_LOGS = "/api/audit-logs";

    @Inject
    AuditArchive archive;

    @Inject
    ArchivePartitions partitions;

    @Inject
    ArchiveMaintenance maintenance;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** A cluster under a connector with Containers at Standard since a minute ago, keeping audit logs as given. */
    static TestCluster cluster(Integer retentionDays) {
        return TestClusters.register(Protection.keepingAuditLogs(retentionDays));
    }

    static String event(String auditId, String stage, String verb, String resource, String namespace, String user,
            Instant time) {
        String ns = namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"";
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + auditId
                + "\",\"stage\":\"" + stage + "\",\"requestURI\":\"/api/v1/" + resource + "\",\"verb\":\"" + verb
                + "\",\"user\":{\"username\":\"" + user + "\"},\"sourceIPs\":[\"10.1.2.3\"],"
                + "\"objectRef\":{\"resource\":\"" + resource + "\"" + ns + ",\"name\":\"obj-" + auditId
                + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"code\":200},"
                + "\"requestReceivedTimestamp\":\"" + time + "\",\"stageTimestamp\":\"" + time + "\"}";
    }

    static String event(String auditId, String verb, String resource, String namespace, String user, Instant time) {
        return event(auditId, "ResponseComplete", verb, resource, namespace, user, time);
    }

    static void ingest(TestCluster c, String... events) {
        given().auth().oauth2(c.token()).contentType(ContentType.JSON)
                .body("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
                        + String.join(",", events) + "]}")
                .when().post(INGEST)
                .then().statusCode(200).body("accepted", equalTo(events.length));
    }

    void awaitArchived(TestCluster c, long count) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> archive.count(c.clusterId())) == count);
    }

    static Response list(Map<String, ?> params) {
        return given().auth().oauth2(Tokens.reader()).queryParams(params).when().get(AUDIT_LOGS);
    }

    static List<String> auditIds(Map<String, ?> params) {
        return list(params).then().statusCode(200).extract().jsonPath().getList("value.auditId", String.class);
    }

    List<String> storedAuditIds(TestCluster c) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT audit_id FROM audit_event_archive WHERE cluster_id = ?1 ORDER BY audit_id", String.class)
                .setParameter(1, c.clusterId()).getResultList());
    }

    String partitionOf(TestCluster c, String auditId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT tableoid::regclass::text FROM audit_event_archive WHERE cluster_id = ?1 AND audit_id = ?2")
                .setParameter(1, c.clusterId()).setParameter(2, auditId).getSingleResult());
    }

    static String id(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void acceptedEventsAreArchivedAndFoundByEveryFilterNewestFirst() {
        TestCluster c = cluster(null);
        TestCluster other = cluster(null);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String getPods = id("get-pods");
        String deleteSecret = id("delete-secret");
        String listNamespaces = id("list-namespaces");
        String createPod = id("create-pod");
        String yesterday = id("yesterday");
        ingest(c,
                event(getPods, "get", "pods", "shop", "alice@example.com", now.minus(Duration.ofMinutes(10))),
                event(deleteSecret, "delete", "secrets", "payments", "mallory", now.minus(Duration.ofMinutes(20))),
                event(listNamespaces, "list", "namespaces", null, "system:serviceaccount:kube-system:ctrl",
                        now.minus(Duration.ofMinutes(30))),
                event(createPod, "create", "pods", "shop", "mallory", now.minus(Duration.ofMinutes(40))),
                event(yesterday, "get", "pods", "shop", "alice@example.com", now.minus(Duration.ofHours(30))));
        ingest(other, event(id("elsewhere"), "get", "pods", "shop", "alice@example.com",
                now.minus(Duration.ofMinutes(10))));
        awaitArchived(c, 5);
        awaitArchived(other, 1);

        String cluster = c.clusterId().toString();
        List<String> lastDay = List.of(getPods, deleteSecret, listNamespaces, createPod);
        assertEquals(lastDay, auditIds(Map.of("clusterId", cluster)), "the last 24 hours, newest first");
        assertEquals(lastDay, auditIds(Map.of("connectorId", c.connectorId().toString())));
        assertEquals(List.of(yesterday), auditIds(Map.of("clusterId", cluster,
                "from", now.minus(Duration.ofHours(31)).toString(), "to", now.minus(Duration.ofHours(29)).toString())));
        assertEquals(List.of(getPods, deleteSecret), auditIds(Map.of("clusterId", cluster,
                "from", now.minus(Duration.ofMinutes(25)).toString())));
        assertEquals(List.of(deleteSecret, createPod), auditIds(Map.of("clusterId", cluster, "user", "mallory")));
        assertEquals(List.of(getPods), auditIds(Map.of("clusterId", cluster, "verb", "get")));
        assertEquals(List.of(getPods, createPod), auditIds(Map.of("clusterId", cluster, "resource", "pods")));
        assertEquals(List.of(getPods, createPod), auditIds(Map.of("clusterId", cluster, "namespace", "shop")));
        assertEquals(List.of(createPod), auditIds(Map.of("clusterId", cluster, "user", "mallory", "resource", "pods")));
        assertEquals(List.of(), auditIds(Map.of("clusterId", cluster, "namespace", "nowhere")));

        list(Map.of("clusterId", cluster, "verb", "delete")).then().statusCode(200)
                .body("value[0].clusterId", equalTo(cluster))
                .body("value[0].connectorId", equalTo(c.connectorId().toString()))
                .body("value[0].auditId", equalTo(deleteSecret))
                .body("value[0].stage", equalTo("ResponseComplete"))
                .body("value[0].verb", equalTo("delete"))
                .body("value[0].resource", equalTo("secrets"))
                .body("value[0].namespace", equalTo("payments"))
                .body("value[0].name", equalTo("obj-" + deleteSecret))
                .body("value[0].username", equalTo("mallory"))
                .body("value[0].eventTime", equalTo(now.minus(Duration.ofMinutes(20)).toString()))
                .body("value[0].receivedAt", notNullValue())
                .body("value[0].event.auditID", equalTo(deleteSecret))
                .body("value[0].event.sourceIPs[0]", equalTo("10.1.2.3"))
                .body("nextLink", nullValue());
    }

    @Test
    void pagesFollowTheirNextLinkUntilTheLastOne() {
        TestCluster c = cluster(null);
        Instant now = Instant.now();
        List<String> newestFirst = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String auditId = id("page-" + i);
            newestFirst.add(auditId);
            events.add(event(auditId, "get", "configmaps", "shop", "bob", now.minus(Duration.ofMinutes(i + 1))));
        }
        ingest(c, events.toArray(String[]::new));
        awaitArchived(c, 5);

        List<String> seen = new ArrayList<>();
        Response page = list(Map.of("clusterId", c.clusterId().toString(), "top", 2));
        int pages = 1;
        while (true) {
            page.then().statusCode(200);
            List<String> ids = page.jsonPath().getList("value.auditId", String.class);
            seen.addAll(ids);
            String next = page.jsonPath().getString("nextLink");
            if (next == null) {
                assertEquals(1, ids.size(), "the last page holds the remainder");
                break;
            }
            assertEquals(2, ids.size());
            assertTrue(next.contains("skip=" + (pages * 2)), next);
            assertTrue(next.contains("to="), "the next page keeps the same time range: " + next);
            // followed as given, as a browser or curl would: the link is already encoded
            page = given().urlEncodingEnabled(false).auth().oauth2(Tokens.reader()).when().get(next);
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(newestFirst, seen, "pages neither repeat nor skip events");
    }

    @Test
    void everyStageOfOneRequestIsReturnedTogether() {
        TestCluster c = cluster(null);
        Instant now = Instant.now();
        String request = id("request");
        ingest(c, event(request, "RequestReceived", "create", "pods", "shop", "alice", now.minusMillis(20)),
                event(request, "ResponseComplete", "create", "pods", "shop", "alice", now));
        awaitArchived(c, 2);
        given().auth().oauth2(Tokens.reader()).when().get(AUDIT_LOGS + "/" + c.clusterId() + "/" + request)
                .then().statusCode(200)
                .body("value.stage", equalTo(List.of("RequestReceived", "ResponseComplete")))
                .body("value[1].event.stage", equalTo("ResponseComplete"));
        given().auth().oauth2(Tokens.reader()).when().get(AUDIT_LOGS + "/" + c.clusterId() + "/no-such-request")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no-such-request"));
    }

    @Test
    void aRedeliveredEventIsStoredOnce() throws Exception {
        TestCluster c = cluster(null);
        String twice = id("twice");
        String marker = id("marker");
        String event = event(twice, "patch", "deployments", "shop", "carol", Instant.now());
        ingest(c, event);
        ingest(c, event);
        // what a redelivery by Kafka looks like: the same record once more
        KafkaTestClient.send(Topics.AUDIT_EVENTS, c.clusterId().toString(), EventCodec.encode(AuditEventEnvelope.of(
                c.clusterId(), c.connectorId(), "EventList", Instant.now(), EventCodec.mapper().readTree(event))));
        ingest(c, event(marker, "get", "pods", "shop", "carol", Instant.now()));
        // one partition per cluster, consumed in order: once the marker is archived, every copy before it was handled
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> storedAuditIds(c).contains(marker));
        assertEquals(List.of(marker, twice).stream().sorted().toList(), storedAuditIds(c));
        assertTrue(KafkaTestClient.readToEnd(Topics.AUDIT_EVENTS_DLQ).stream()
                .noneMatch(r -> c.clusterId().toString().equals(r.key())), "a copy is not an error");
    }

    /**
     * The archive stores an event's JSON text as it came, except text PostgreSQL's jsonb refuses though it is valid
     * JSON (found by IngestAndApiFuzzTest: an object named "\\udfff" was dead-lettered): escaped NUL, a lone or paired
     * surrogate escape, an exponent beyond ±999. Those are written again as Jackson writes them; all are archived.
     */
    @Test
    void eventsWhoseTextJsonbRefusesAreArchivedAllTheSame() throws Exception {
        TestCluster c = cluster(null);
        List<String> extras = List.of("\"name\":\"\\udfff\"", "\"name\":\"\\ud83d\\ude00\"", "\"name\":\"a\\u0000b\"",
                "\"replicas\":1e400", "\"replicas\":1E-1000", "\"name\":\"caf\\u00e9\"");
        List<String> events = new ArrayList<>();
        for (String extra : extras) {
            String event = event(id("jsonb"), "create", "deployments", "shop", "dana", Instant.now());
            events.add(event.substring(0, event.length() - 1) + ",\"requestObject\":{" + extra + "}}");
        }
        ingest(c, events.toArray(String[]::new));
        awaitArchived(c, extras.size());
        assertTrue(KafkaTestClient.readToEnd(Topics.AUDIT_EVENTS_DLQ).stream()
                .noneMatch(r -> c.clusterId().toString().equals(r.key())), "nothing of this cluster dead-lettered");
    }

    @Test
    void theArchiveIsPartitionedByDayAndEventsLandInTheirDay() {
        Object[] key = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT p.partstrat::text, a.attname::text FROM pg_partitioned_table p
                JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                WHERE p.partrelid = 'audit_event_archive'::regclass""").getSingleResult());
        assertEquals("r", key[0], "partitioned by range");
        assertEquals("event_time", key[1]);
        List<String> children = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit_event_archive'::regclass""", String.class).getResultList());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertTrue(children.contains("audit_event_archive_default"), children.toString());
        for (int d = -1; d <= 3; d++) {
            String day = "audit_event_archive_p" + today.plusDays(d).toString().replace("-", "");
            assertTrue(children.contains(day), day + " in " + children);
        }

        TestCluster c = cluster(null);
        Instant now = Instant.now();
        LocalDate later = today.plusDays(20);
        Instant skewed = later.atTime(12, 0).toInstant(ZoneOffset.UTC);
        String current = id("current");
        String early = id("clock-skew");
        ingest(c, event(current, "get", "pods", "shop", "dave", now), event(early, "get", "pods", "shop", "dave", skewed));
        awaitArchived(c, 2);
        assertEquals(ArchivePartitions.nameOf(LocalDate.ofInstant(now, ZoneOffset.UTC)), partitionOf(c, current));
        assertEquals(ArchivePartitions.DEFAULT_PARTITION, partitionOf(c, early), "no partition for that day yet");

        // the day's partition is created although the default partition holds one of its events: the event moves
        assertTrue(partitions.create(later));
        assertEquals(ArchivePartitions.nameOf(later), partitionOf(c, early));
        assertFalse(partitions.create(later), "creating is idempotent");
        assertEquals(List.of(early), auditIds(Map.of("clusterId", c.clusterId().toString(),
                "from", later.atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                "to", later.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString())));
        assertEquals(1L, partitions.drop(later));
    }

    @Test
    void purgeKeepsEachScopesEventsForItsRetention() {
        TestCluster oneDay = cluster(1);
        TestCluster byDefault = cluster(null);
        Instant now = Instant.now();
        String threeDaysOld = id("three-days-old");
        String recent = id("recent");
        String threeDaysOldDefault = id("three-days-old-default");
        String fortyDaysOld = id("forty-days-old");
        // activity from before the plan was enabled raises no alert but is archived all the same
        ingest(oneDay, event(threeDaysOld, "get", "pods", "shop", "erin", now.minus(Duration.ofDays(3))),
                event(recent, "get", "pods", "shop", "erin", now.minus(Duration.ofMinutes(1))));
        ingest(byDefault, event(threeDaysOldDefault, "get", "pods", "shop", "erin", now.minus(Duration.ofDays(3))),
                event(fortyDaysOld, "get", "pods", "shop", "erin", now.minus(Duration.ofDays(40))));
        awaitArchived(oneDay, 2);
        awaitArchived(byDefault, 2);
        double purgedBefore = metrics.get("palisade.archive.purged").counter().count();

        ArchiveMaintenance.PurgeResult result = maintenance.purge().orElseThrow();

        assertEquals(List.of(recent), storedAuditIds(oneDay), "a 1-day retention keeps only the last day");
        assertEquals(List.of(threeDaysOldDefault), storedAuditIds(byDefault), "the default retention is 30 days");
        assertEquals(1L, result.deletedByScope().get(oneDay.connectorId()));
        assertTrue(result.deletedAtDefaultRetention() >= 1, result.toString());
        assertEquals(result.total(), metrics.get("palisade.archive.purged").counter().count() - purgedBefore);
        assertNotNull(partitionOf(oneDay, recent));
    }

    @Test
    void purgeDropsPartitionsPastEveryRetentionAndEmptyPastDays() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate longAgo = today.minusDays(400);
        LocalDate lastWeek = today.minusDays(10);
        partitions.create(longAgo);
        partitions.create(lastWeek);
        TestCluster c = cluster(null);
        String ancient = id("ancient");
        ingest(c, event(ancient, "get", "pods", "shop", "frank", longAgo.atTime(12, 0).toInstant(ZoneOffset.UTC)));
        awaitArchived(c, 1);
        assertEquals(ArchivePartitions.nameOf(longAgo), partitionOf(c, ancient));

        ArchiveMaintenance.PurgeResult result = maintenance.purge().orElseThrow();

        assertTrue(result.droppedPartitions().contains(ArchivePartitions.nameOf(longAgo)), result.toString());
        assertTrue(result.droppedPartitions().contains(ArchivePartitions.nameOf(lastWeek)), result.toString());
        assertTrue(result.eventsInDroppedPartitions() >= 1, result.toString());
        List<LocalDate> days = partitions.days();
        assertFalse(days.contains(longAgo));
        assertFalse(days.contains(lastWeek));
        assertTrue(days.contains(today) && days.contains(today.minusDays(1)) && days.contains(today.plusDays(3)),
                "yesterday, today and the days ahead stay: " + days);
        assertEquals(List.of(), storedAuditIds(c));
    }

    @Test
    void onlyReadersAndAdminsSeeTheArchive() {
        TestCluster c = cluster(null);
        String seen = id("seen");
        ingest(c, event(seen, "get", "pods", "shop", "grace", Instant.now()));
        awaitArchived(c, 1);
        String listPath = AUDIT_LOGS + "?clusterId=" + c.clusterId();
        String requestPath = AUDIT_LOGS + "/" + c.clusterId() + "/" + seen;
        EndpointSecurity.assertEveryEndpointChecksTheCaller(List.of(
                EndpointSecurity.Endpoint.read(listPath), EndpointSecurity.Endpoint.read(requestPath)));
        given().auth().oauth2(Tokens.admin()).when().get(listPath).then().statusCode(200)
                .body("value[0].auditId", equalTo(seen));
        given().when().get(listPath).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aReaderScopedToAnotherConnectorFindsNothingOfThisOne() {
        TestCluster c = cluster(null);
        TestCluster elsewhere = cluster(null);
        String hidden = id("hidden");
        String visible = id("visible");
        ingest(c, event(hidden, "get", "pods", "shop", "grace", Instant.now()));
        ingest(elsewhere, event(visible, "get", "pods", "shop", "grace", Instant.now()));
        awaitArchived(c, 1);
        awaitArchived(elsewhere, 1);
        String byCluster = AUDIT_LOGS + "?clusterId=" + c.clusterId();
        String byConnector = AUDIT_LOGS + "?connectorId=" + c.connectorId();
        String request = AUDIT_LOGS + "/" + c.clusterId() + "/" + hidden;
        EndpointSecurity.assertEveryEndpointHidesTheConnectorBeyondScopes(c.connectorId().toString(), List.of(
                EndpointSecurity.Endpoint.read(byCluster), EndpointSecurity.Endpoint.read(byConnector),
                EndpointSecurity.Endpoint.read(request)));
        String scopedElsewhere = Tokens.forUser("erin", Set.of("security-reader"),
                List.of(elsewhere.connectorId().toString()));
        given().auth().oauth2(scopedElsewhere).queryParam("clusterId", elsewhere.clusterId())
                .when().get(AUDIT_LOGS).then().statusCode(200).body("value.auditId", equalTo(List.of(visible)));
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        String cluster = UUID.randomUUID().toString();
        List<Object[]> cases = List.of(
                new Object[] { Map.of(), "clusterId" },
                new Object[] { Map.of("clusterId", "not-a-uuid"), "clusterId" },
                new Object[] { Map.of("connectorId", "42"), "connectorId" },
                new Object[] { Map.of("clusterId", cluster, "from", "yesterday"), "from" },
                new Object[] { Map.of("clusterId", cluster, "to", "2025-13-01T00:00:00Z"), "to" },
                new Object[] { Map.of("clusterId", cluster, "from", "2025-06-02T00:00:00Z", "to",
                        "2025-06-01T00:00:00Z"), "from" },
                new Object[] { Map.of("clusterId", cluster, "top", "0"), "top" },
                new Object[] { Map.of("clusterId", cluster, "top", "many"), "top" },
                new Object[] { Map.of("clusterId", cluster, "skip", "-1"), "skip" });
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, ?> params = (Map<String, ?>) c[0];
            list(params).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(c[1]))
                    .body("detail", containsString((String) c[1]));
        }
        given().auth().oauth2(Tokens.reader()).when().get(AUDIT_LOGS + "/not-a-uuid/abc")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("clusterId"));
    }

    @Test
    void aBrokenRecordAmongGoodOnesGoesAloneToTheDeadLetterTopicAndTheRestOfItsBatchIsArchived() throws Exception {
        TestCluster c = cluster(null);
        String marker = UUID.randomUUID().toString();
        String key = c.clusterId().toString();
        for (String value : List.of(
                envelope(c, event(UUID.randomUUID().toString(), "get", "pods", "shop", "alice", Instant.now())),
                "{\"type\":\"audit-event\",\"version\":99,\"marker\":\"" + marker + "\"}",
                envelope(c, event(UUID.randomUUID().toString(), "list", "pods", "shop", "alice", Instant.now())))) {
            KafkaTestClient.send(Topics.AUDIT_EVENTS, key, value);
        }
        awaitArchived(c, 2);
        var dead = KafkaTestClient.awaitRecord(Topics.AUDIT_EVENTS_DLQ, r -> r.value().contains(marker),
                Duration.ofSeconds(20));
        assertTrue(KafkaTestClient.header(dead, "dead-letter-reason").contains("unsupported version 99"));
        assertEquals(Topics.AUDIT_EVENTS, KafkaTestClient.header(dead, "dead-letter-topic"));
    }

    private static String envelope(TestCluster c, String event) throws Exception {
        return EventCodec.encode(AuditEventEnvelope.of(c.clusterId(), c.connectorId(), "AuditEventList", Instant.now(),
                EventCodec.mapper().readTree(event)));
    }
}
