package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;

class AzureResourceLogsTest {
    private static final String RESOURCE_ID = "/SUBSCRIPTIONS/6B2C0F3A-1D4E-4F5A-9B8C-7D6E5F4A3B2C/RESOURCEGROUPS/"
            + "RG-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD-WEU";

    static String auditEvent(String auditId, String verb) {
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"%s\","
                + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/secrets\","
                + "\"verb\":\"%s\",\"user\":{\"username\":\"masterclient\",\"groups\":[\"system:masters\"]},"
                + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"default\",\"apiVersion\":\"v1\"},"
                + "\"responseStatus\":{\"code\":200},\"requestReceivedTimestamp\":\"2026-01-01T08:00:00.101010Z\","
                + "\"stageTimestamp\":\"2026-01-01T08:00:00.120000Z\"}").formatted(auditId, verb);
    }

    /** One resource-log record as the AKS diagnostic setting writes it: the audit event as a JSON string. */
    static ObjectNode record(String category, JsonNode log) {
        ObjectNode record = EventCodec.mapper().createObjectNode();
        record.put("time", "2026-01-01T08:00:00.1200000Z");
        record.put("resourceId", RESOURCE_ID);
        record.put("category", category);
        record.put("operationName", "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read");
        ObjectNode properties = record.putObject("properties");
        properties.set("log", log);
        properties.put("stream", "stdout");
        properties.put("pod", "kube-apiserver-7d9f8b6c5d-x2k4p");
        return record;
    }

    static JsonNode text(String value) {
        return EventCodec.mapper().getNodeFactory().textNode(value);
    }

    static byte[] envelope(JsonNode... records) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        ArrayNode array = body.putArray("records");
        for (JsonNode r : records) {
            array.add(r);
        }
        return EventCodec.encode(body).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAuditRecordsAndSkipsOtherCategories() throws Exception {
        byte[] body = envelope(
                record("kube-audit", text(auditEvent("a1", "get"))),
                record("kube-apiserver", text("I0101 08:00:00.123456 1 controller.go:615] quota admission added")),
                record("kube-audit-admin", EventCodec.mapper().readTree(auditEvent("a2", "delete"))),
                record("guard", text("{\"level\":\"info\",\"msg\":\"authorized\"}")));

        var parsed = AzureResourceLogs.parse(body);

        assertEquals(2, parsed.skipped());
        assertEquals(2, parsed.records().size());
        var first = parsed.records().get(0);
        assertEquals(RESOURCE_ID, first.resourceId());
        assertEquals("kube-audit", first.category());
        assertEquals("a1", first.event().get("auditID").asText());
        assertEquals("get", first.event().get("verb").asText());
        var second = parsed.records().get(1);
        assertEquals("kube-audit-admin", second.category());
        assertEquals("a2", second.event().get("auditID").asText());
    }

    @Test
    void readsStorageBlobsWithOneRecordPerLine() {
        String lines = EventCodec.encode(record("kube-audit", text(auditEvent("l1", "list")))) + "\n"
                + EventCodec.encode(record("kube-scheduler", text("I0101 scheduled"))) + "\n"
                + EventCodec.encode(record("KUBE-AUDIT", text(auditEvent("l2", "create")))) + "\n";
        var parsed = AzureResourceLogs.parse(lines.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("l1", "l2"),
                parsed.records().stream().map(r -> r.event().get("auditID").asText()).toList());
        assertEquals("kube-audit", parsed.records().get(1).category());
        assertEquals(1, parsed.skipped());
    }

    @Test
    void namesTheRecordWhoseLogIsNotAnAuditEvent() {
        byte[] notJson = envelope(record("kube-audit", text(auditEvent("a1", "get"))),
                record("kube-audit", text("{\"kind\":\"Event\",\"auditID\":")));
        var e = assertThrows(ProblemException.class, () -> AzureResourceLogs.parse(notJson));
        assertEquals(400, e.toProblem().status());
        assertTrue(e.getMessage().startsWith(
                "Malformed audit log: records[1]: 'properties.log' is not audit-event JSON"), e.getMessage());

        byte[] noVerb = envelope(record("kube-audit-admin",
                text("{\"kind\":\"Event\",\"auditID\":\"x\",\"stage\":\"ResponseComplete\","
                        + "\"stageTimestamp\":\"2026-01-01T08:00:00Z\"}")));
        var missing = assertThrows(ProblemException.class, () -> AzureResourceLogs.parse(noVerb));
        assertEquals("Malformed audit log: records[0].properties.log: 'verb' is missing", missing.getMessage());

        ObjectNode noLog = record("kube-audit", text("x"));
        ((ObjectNode) noLog.get("properties")).remove("log");
        var absent = assertThrows(ProblemException.class, () -> AzureResourceLogs.parse(envelope(noLog)));
        assertEquals("Malformed audit log: records[0]: 'properties.log' is missing", absent.getMessage());
    }

    @Test
    void refusesBodiesThatAreNotResourceLogs() {
        var e = assertThrows(ProblemException.class,
                () -> AzureResourceLogs.parse(auditEvent("a", "get").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("expected an Azure resource-log envelope"), e.getMessage());
        assertThrows(ProblemException.class, () -> AzureResourceLogs.parse(new byte[0]));
        assertThrows(ProblemException.class,
                () -> AzureResourceLogs.parse("{\"records\":{}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesTheClusterFromAnUpperCasedResourceId() {
        assertEquals(Optional.of(new AzureResourceLogs.AksClusterRef("6b2c0f3a-1d4e-4f5a-9b8c-7d6e5f4a3b2c", "rg-prod",
                "aks-prod-weu")), AzureResourceLogs.clusterRef(RESOURCE_ID));
        assertEquals("aks-dev", AzureResourceLogs.clusterRef("/subscriptions/s1/resourceGroups/RG/providers/"
                + "Microsoft.ContainerService/managedClusters/aks-dev").orElseThrow().clusterName());
    }

    @Test
    void otherResourceIdsNameNoCluster() {
        assertEquals(Optional.empty(), AzureResourceLogs.clusterRef("/subscriptions/s1/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/vm1"));
        assertEquals(Optional.empty(), AzureResourceLogs.clusterRef("/subscriptions/s1/resourceGroups/rg/providers/"
                + "Microsoft.ContainerService/managedClusters/aks/agentPools/np1"));
        assertEquals(Optional.empty(), AzureResourceLogs.clusterRef(null));
        assertNull(AzureResourceLogs.parse(envelope(record("kube-audit", text(auditEvent("a", "get"))).without(
                "resourceId"))).records().get(0).resourceId());
    }
}
