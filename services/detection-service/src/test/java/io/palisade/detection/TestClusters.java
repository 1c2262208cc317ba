package io.palisade.detection;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.events.ClusterEvent;
import io.palisade.common.events.ConnectorEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.common.security.IngestTokens;
import io.palisade.testsupport.KafkaTestClient;
import io.restassured.http.ContentType;

/** Clusters as connector-service and plan-service publish them, and the alerts detection raises for them. */
public final class TestClusters {
    private TestClusters() {
    }

    public record TestCluster(UUID clusterId, UUID connectorId, String name, String token, Protection protection) {
    }

    /** How the cluster's connector is protected; {@code retentionDays} of the audit archive (null: the default). */
    public record Protection(boolean containers, Instant enablementTime, boolean auditLogCollection,
            Integer retentionDays) {
        public Protection(boolean containers, Instant enablementTime, boolean auditLogCollection) {
            this(containers, enablementTime, auditLogCollection, null);
        }

        public static Protection keepingAuditLogs(Integer retentionDays) {
            return new Protection(true, Instant.now().minusSeconds(60), true, retentionDays);
        }

        public static Protection since(Instant enablementTime) {
            return new Protection(true, enablementTime, true);
        }

        public static Protection standard() {
            return since(Instant.now().minusSeconds(60));
        }

        public static Protection none() {
            return new Protection(false, null, true);
        }
    }

    /** Publishes a cluster (and its connector and plan state) without waiting. */
    public static TestCluster publish(String name, String environment, String identifier, Protection protection) {
        UUID connectorId = UUID.randomUUID();
        UUID clusterId = UUID.randomUUID();
        String token = IngestTokens.generate();
        KafkaTestClient.send(Topics.CONNECTORS, connectorId.toString(), EventCodec.encode(
                ConnectorEvent.of(connectorId, environment, "connector of " + name, identifier, Instant.now())));
        KafkaTestClient.send(Topics.CONNECTORS, clusterId.toString(), EventCodec.encode(
                ClusterEvent.of(clusterId, connectorId, name, "OnPrem", IngestTokens.hash(token), Instant.now())));
        setProtection(connectorId, protection);
        return new TestCluster(clusterId, connectorId, name, token, protection);
    }

    public static void setProtection(UUID connectorId, Protection protection) {
        var entry = new PlanStateEvent.PlanEntry("Containers", protection.containers() ? "Standard" : "Free",
                protection.containers() ? protection.enablementTime() : null,
                Map.of("AuditLogCollection", protection.auditLogCollection()), protection.retentionDays());
        KafkaTestClient.send(Topics.PLANS, connectorId.toString(),
                EventCodec.encode(PlanStateEvent.of(connectorId, List.of(entry), Instant.now())));
    }

    public static TestCluster register(Protection protection) {
        TestCluster cluster = publish("prod-eu", "OnPrem", "on-prem-1", protection);
        awaitKnown(List.of(cluster));
        return cluster;
    }

    /**
     * Waits until detection knows each cluster and its plan: a malformed body is answered 400 (token and plan
     * accepted) for a collecting cluster, 403 for one that is not.
     */
    public static void awaitKnown(Collection<TestCluster> clusters) {
        for (TestCluster c : clusters) {
            Protection p = c.protection();
            int expected = p.containers() && p.auditLogCollection() ? 400 : 403;
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(c.token())
                    .contentType(ContentType.JSON).body("{").post("/ingest/k8s-audit").statusCode() == expected);
        }
    }

    /** Every alert on palisade.alerts, in its latest published state, by alert id. */
    public static Map<String, JsonNode> latestAlerts() {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (var record : KafkaTestClient.readToEnd(Topics.ALERTS)) {
            JsonNode alert = json(record.value());
            JsonNode known = latest.get(record.key());
            if (known == null || alert.path("extendedProperties").path("count").asInt()
                    >= known.path("extendedProperties").path("count").asInt()) {
                latest.put(record.key(), alert);
            }
        }
        return latest;
    }

    public static List<JsonNode> alertsOf(UUID clusterId) {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : latestAlerts().values()) {
            if (clusterId.toString().equals(alert.path("clusterId").asText())) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    /** Waits for an alert of the cluster that matches, and returns it. */
    public static JsonNode awaitAlert(UUID clusterId, Predicate<JsonNode> match) {
        var record = KafkaTestClient.awaitRecord(Topics.ALERTS, r -> {
            JsonNode alert = json(r.value());
            return clusterId.toString().equals(alert.path("clusterId").asText()) && match.test(alert);
        }, Duration.ofSeconds(30));
        return json(record.value());
    }

    public static JsonNode json(String value) {
        try {
            return EventCodec.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal audit event: a successful request of {@code user} (stage ResponseComplete). */
    public static String event(String auditId, String verb, String resource, String name, String user, Instant time,
            String extra) {
        return event(auditId, verb, resource, null, name, user, time, extra);
    }

    /** The same, about an object of a namespace. */
    public static String event(String auditId, String verb, String resource, String namespace, String name,
            String user, Instant time, String extra) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\","
                + "\"auditID\":\"" + auditId + "\",\"stage\":\"ResponseComplete\",\"verb\":\"" + verb + "\","
                + "\"user\":{\"username\":\"" + user + "\"},\"sourceIPs\":[\"203.0.113.7\"],"
                + "\"objectRef\":{\"resource\":\"" + resource + "\",\"name\":\"" + name + "\""
                + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "},"
                + "\"responseStatus\":{\"code\":201},\"stageTimestamp\":\"" + time + "\""
                + (extra == null ? "" : "," + extra) + "}";
    }

    /** kubernetes-admin binds cluster-admin to mallory: fires K8S_ClusterAdminBinding (and nothing else). */
    public static String clusterAdminBinding(String auditId, String bindingName, Instant time) {
        return event(auditId, "create", "clusterrolebindings", bindingName, "kubernetes-admin", time,
                "\"requestObject\":{\"kind\":\"ClusterRoleBinding\",\"roleRef\":{\"kind\":\"ClusterRole\","
                        + "\"name\":\"cluster-admin\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"mallory\"}]}");
    }

    public static String eventList(String... events) {
        return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" + String.join(",", events)
                + "]}";
    }
}
