package io.palisade.detection.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import io.palisade.common.messaging.EventCodec;

/**
 * Reads AKS audit logs as an Azure diagnostic setting delivers them to Event Hubs or Storage: the resource-log
 * envelope {@code {"records": [{"time", "resourceId", "category", "operationName", "properties": {"log", "pod"}}]}},
 * where {@code properties.log} is one audit {@code Event}, usually as a JSON string. Storage blobs hold the same
 * records one per line without the envelope; both shapes are read.
 *
 * <p>Only the {@code kube-audit} and {@code kube-audit-admin} categories carry audit events. A diagnostic setting can
 * route other categories ({@code kube-apiserver}, {@code guard}...) to the same hub, so their records are dropped and
 * counted in {@link Parsed#skipped()}. An audit record that is wrong refuses the whole body with a 400 naming it.
 */
public final class AzureResourceLogs {
    private static final ObjectReader READER = EventCodec.mapper().readerFor(JsonNode.class);
    private static final Set<String> AUDIT_CATEGORIES = Set.of("kube-audit", "kube-audit-admin");
    private static final Pattern MANAGED_CLUSTER = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/"
                    + "([^/]+)/?",
            Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "expected an Azure resource-log envelope {\"records\": [...]} or one "
            + "resource-log record per line";

    private AzureResourceLogs() {
    }

    /**
     * The audit records of one body.
     *
     * @param records audit records in body order
     * @param skipped records of other categories, dropped
     */
    public record Parsed(List<AksRecord> records, int skipped) {
    }

    /**
     * One audit event from AKS.
     *
     * @param resourceId the managed cluster's Azure resource id as logged (upper-case, often), or null if absent
     * @param category   {@code kube-audit} or {@code kube-audit-admin}
     * @param event      the audit event, checked by {@link AuditEvents#checkEvent}
     */
    public record AksRecord(String resourceId, String category, JsonNode event) {
    }

    /** An AKS cluster as named by its Azure resource id; all parts lower-cased. */
    public record AksClusterRef(String subscriptionId, String resourceGroup, String clusterName) {
    }

    public static Parsed parse(byte[] body) {
        List<JsonNode> roots;
        try {
            roots = JsonBodies.rootValues(body);
        } catch (IOException | RuntimeException e) {
            throw AuditEvents.malformed("body is not valid JSON: " + reason(e));
        }
        if (roots.isEmpty()) {
            throw AuditEvents.malformed("the body is empty; " + EXPECTED);
        }
        List<AksRecord> records = new ArrayList<>();
        int skipped = 0;
        for (int line = 0; line < roots.size(); line++) {
            JsonNode root = roots.get(line);
            String prefix = roots.size() > 1 ? "line " + (line + 1) + ": " : "";
            if (root.isObject() && root.has("records")) {
                JsonNode envelope = root.get("records");
                if (!envelope.isArray()) {
                    throw AuditEvents.malformed(prefix + "'records' must be an array");
                }
                for (int i = 0; i < envelope.size(); i++) {
                    skipped += read(envelope.get(i), prefix + "records[" + i + "]", records);
                }
            } else if (root.isObject() && root.has("category")) {
                skipped += read(root, roots.size() > 1 ? "line " + (line + 1) : "record", records);
            } else {
                throw AuditEvents.malformed((prefix.isEmpty() ? "body: " : prefix) + EXPECTED);
            }
        }
        return new Parsed(List.copyOf(records), skipped);
    }

    /** Adds the record if it is an audit record; returns 1 if it was skipped as another category. */
    private static int read(JsonNode record, String where, List<AksRecord> records) {
        if (!record.isObject()) {
            throw AuditEvents.malformed(where + ": a resource-log record must be a JSON object");
        }
        JsonNode category = record.get("category");
        if (category == null || !category.isTextual() || category.asText().isBlank()) {
            throw AuditEvents.malformed(where + ": 'category' is missing");
        }
        String name = category.asText().toLowerCase(Locale.ROOT);
        if (!AUDIT_CATEGORIES.contains(name)) {
            return 1;
        }
        JsonNode log = record.path("properties").get("log");
        JsonNode event;
        if (log == null || log.isNull()) {
            throw AuditEvents.malformed(where + ": 'properties.log' is missing");
        } else if (log.isTextual()) {
            try {
                event = READER.readTree(log.asText());
            } catch (IOException e) {
                throw AuditEvents.malformed(where + ": 'properties.log' is not audit-event JSON: " + reason(e));
            }
        } else {
            event = log;
        }
        JsonNode resourceId = record.get("resourceId");
        records.add(new AksRecord(resourceId != null && resourceId.isTextual() ? resourceId.asText() : null, name,
                AuditEvents.checkEvent(event, where + ".properties.log")));
        return 0;
    }

    /**
     * The cluster a {@code /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/
     * managedClusters/<name>} resource id names, matched case-insensitively; empty for any other resource id.
     */
    public static Optional<AksClusterRef> clusterRef(String resourceId) {
        if (resourceId == null) {
            return Optional.empty();
        }
        Matcher m = MANAGED_CLUSTER.matcher(resourceId.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new AksClusterRef(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT),
                m.group(3).toLowerCase(Locale.ROOT)));
    }

    private static String reason(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
