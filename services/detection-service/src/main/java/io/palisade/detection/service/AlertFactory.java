package io.palisade.detection.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.events.AlertEvent;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.ingest.AuditEvents;
import io.palisade.detection.persistence.AlertCorrelations.Correlation;
import io.palisade.detection.sensor.NodeAlertMapping.NodeAlert;

/**
 * Builds alerts in the shape of the alerts API: one per rule, cluster, entity and correlation window, carrying the
 * number of events seen, their time range and the events themselves as {@code supportingEvidence}.
 */
public final class AlertFactory {
    private AlertFactory() {
    }

    /** Who and where an alert is about. */
    public record Scope(UUID clusterId, UUID connectorId, String clusterName, String clusterKind) {
        String compromisedEntity() {
            return clusterName == null ? clusterId.toString() : clusterName;
        }
    }

    /** An alert of a control-plane rule; {@code event} is the latest audit event counted into it. */
    public static AlertEvent controlPlaneAlert(DetectionRule rule, JsonNode event, Scope scope, Correlation correlation,
            Instant now) {
        Map<String, String> properties = new LinkedHashMap<>();
        rule.properties().forEach((name, field) -> {
            List<String> values = field.values(event).stream().map(JsonNode::asText).toList();
            if (!values.isEmpty()) {
                properties.put(name, clean(String.join(", ", values)));
            }
        });
        properties.put("auditId", AuditEvents.auditKey(event));
        properties.put("ruleId", rule.id());

        List<Map<String, Object>> entities = clusterEntity(scope);
        String user = event.path("user").path("username").asText(null);
        if (user != null) {
            entities.add(Map.of("type", "account", "name", clean(user)));
        }
        JsonNode ref = event.path("objectRef");
        if (ref.hasNonNull("resource")) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("type", "K8s-" + ref.get("resource").asText());
            object.put("name", clean(ref.path("name").asText("")));
            if (ref.hasNonNull("namespace")) {
                object.put("namespace", clean(ref.get("namespace").asText()));
            }
            entities.add(object);
        }
        for (JsonNode ip : event.path("sourceIPs")) {
            entities.add(Map.of("type", "ip", "address", clean(ip.asText())));
        }
        return alert(rule.alertType(), rule.displayName(), rule.description(), rule.severity().name(), rule.intent(),
                rule.techniques(), rule.remediationSteps(), entities, properties, "auditEvents", scope, correlation,
                rule.id(), now);
    }

    /** A node alert of the sensor; {@code event} is the latest Falco event counted into it. */
    public static AlertEvent nodeAlert(NodeAlert mapped, JsonNode event, Scope scope, Correlation correlation,
            Instant now) {
        JsonNode fields = event.path("output_fields");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("falcoRule", mapped.falcoRule());
        properties.put("priority", event.path("priority").asText());
        properties.put("output", clean(event.path("output").asText()));
        for (String field : List.of("k8s.ns.name", "k8s.pod.name", "container.id", "container.image.repository",
                "proc.cmdline", "proc.name", "user.name", "fd.name")) {
            if (fields.hasNonNull(field)) {
                properties.put(field, clean(fields.get(field).asText()));
            }
        }
        List<Map<String, Object>> entities = clusterEntity(scope);
        if (event.hasNonNull("hostname")) {
            entities.add(Map.of("type", "host", "hostName", clean(event.get("hostname").asText())));
        }
        if (fields.hasNonNull("k8s.pod.name")) {
            entities.add(Map.of("type", "K8s-pod", "name", clean(fields.get("k8s.pod.name").asText()), "namespace",
                    clean(fields.path("k8s.ns.name").asText(""))));
        }
        if (fields.hasNonNull("container.id")) {
            entities.add(Map.of("type", "container", "containerId", clean(fields.get("container.id").asText()), "image",
                    clean(fields.path("container.image.repository").asText(""))));
        }
        if (fields.hasNonNull("proc.cmdline")) {
            entities.add(Map.of("type", "process", "commandLine", clean(fields.get("proc.cmdline").asText())));
        }
        if (fields.hasNonNull("user.name")) {
            entities.add(Map.of("type", "account", "name", clean(fields.get("user.name").asText())));
        }
        return alert(mapped.alertType(), mapped.displayName(), mapped.description(), mapped.severity(),
                mapped.intent(), mapped.techniques(), mapped.remediationSteps(), entities, properties, "sensorEvents",
                scope, correlation, "falco:" + mapped.falcoRule(), now);
    }

    /** Marks on every alert a simulation raises, so nobody takes it for an attack. */
    public static final String SIMULATED_PREFIX = "[Simulated] ";
    public static final String SIMULATED_PROPERTY = "simulated";

    /**
     * The alert of a simulation's synthetic events: its display name starts with {@value #SIMULATED_PREFIX} and its
     * {@code extendedProperties} carry {@code simulated: "true"}.
     */
    public static AlertEvent simulated(AlertEvent a) {
        Map<String, String> properties = new LinkedHashMap<>(a.extendedProperties());
        properties.put(SIMULATED_PROPERTY, "true");
        return new AlertEvent(a.type(), a.version(), a.systemAlertId(), a.alertType(),
                SIMULATED_PREFIX + a.alertDisplayName(), a.description(), a.severity(), a.intent(), a.techniques(),
                a.compromisedEntity(), a.entities(), a.remediationSteps(), a.startTimeUtc(), a.endTimeUtc(),
                a.timeGeneratedUtc(), a.resourceIdentifiers(), properties, a.supportingEvidence(),
                a.correlationKey(), a.productComponentName(), a.connectorId(), a.clusterId(), a.ruleId());
    }

    /** Text as alert-service can store it (PostgreSQL holds no NUL). */
    private static String clean(String text) {
        return text.replace('\u0000', '\uFFFD');
    }

    private static List<Map<String, Object>> clusterEntity(Scope scope) {
        List<Map<String, Object>> entities = new ArrayList<>();
        entities.add(Map.of("type", "K8s-cluster", "clusterId", scope.clusterId().toString(), "name",
                scope.compromisedEntity()));
        return entities;
    }

    private static AlertEvent alert(String alertType, String displayName, String description, String severity,
            List<String> intent, List<String> techniques, List<String> remediationSteps,
            List<Map<String, Object>> entities, Map<String, String> properties, String evidenceType, Scope scope,
            Correlation correlation, String ruleId, Instant now) {
        properties.put("count", Integer.toString(correlation.count()));
        ObjectNode evidence = JsonNodeFactory.instance.objectNode();
        evidence.put("type", evidenceType);
        evidence.put("count", correlation.count());
        evidence.set("events", correlation.evidence());
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION,
                correlation.alertId(),
                alertType,
                displayName,
                clean(description),
                severity,
                String.join(", ", intent),
                techniques,
                scope.compromisedEntity(),
                entities,
                remediationSteps,
                correlation.firstEventTime(),
                correlation.lastEventTime(),
                now,
                List.of(Map.of("type", "PalisadeCluster", "connectorId", scope.connectorId().toString(),
                        "clusterId", scope.clusterId().toString(), "clusterKind",
                        scope.clusterKind() == null ? "Unknown" : scope.clusterKind())),
                properties,
                evidence,
                scope.clusterId() + "|" + alertType,
                "Containers",
                scope.connectorId(),
                scope.clusterId(),
                ruleId);
    }
}
