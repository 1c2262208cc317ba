package io.palisade.detection.service;

import java.nio.charset.StandardCharsets;
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
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.ingest.AuditEvents;

/** Builds the Defender-shaped alert for a rule that fired on an audit event. */
public final class AlertFactory {
    private AlertFactory() {
    }

    /** The same cluster, rule and audit id always give the same alert id: a redelivered event is not a new alert. */
    public static String alertId(UUID clusterId, String ruleId, String auditId) {
        return UUID.nameUUIDFromBytes((clusterId + "|" + ruleId + "|" + auditId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public static AlertEvent alertFor(DetectionRule rule, AuditEventEnvelope envelope, String clusterName,
            Instant now) {
        JsonNode event = envelope.event();
        String auditId = event.path("auditID").asText();
        Instant eventTime = AuditEvents.eventTime(event);
        String cluster = clusterName == null ? envelope.clusterId().toString() : clusterName;

        Map<String, String> properties = new LinkedHashMap<>();
        rule.properties().forEach((name, field) -> {
            List<String> values = field.values(event).stream().map(JsonNode::asText).toList();
            if (!values.isEmpty()) {
                properties.put(name, String.join(", ", values));
            }
        });
        properties.put("auditId", auditId);
        properties.put("ruleId", rule.id());

        List<Map<String, Object>> entities = new ArrayList<>();
        entities.add(Map.of("type", "K8s-cluster", "clusterId", envelope.clusterId().toString(), "name", cluster));
        String user = event.path("user").path("username").asText(null);
        if (user != null) {
            entities.add(Map.of("type", "account", "name", user));
        }
        JsonNode ref = event.path("objectRef");
        if (ref.hasNonNull("resource")) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("type", "K8s-" + ref.get("resource").asText());
            object.put("name", ref.path("name").asText(""));
            if (ref.hasNonNull("namespace")) {
                object.put("namespace", ref.get("namespace").asText());
            }
            entities.add(object);
        }
        for (JsonNode ip : event.path("sourceIPs")) {
            entities.add(Map.of("type", "ip", "address", ip.asText()));
        }

        ObjectNode evidence = JsonNodeFactory.instance.objectNode();
        evidence.put("type", "auditEvents");
        evidence.putArray("events").add(event);

        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION,
                alertId(envelope.clusterId(), rule.id(), auditId),
                rule.alertType(),
                rule.displayName(),
                rule.description(),
                rule.severity().name(),
                String.join(", ", rule.intent()),
                rule.techniques(),
                cluster,
                entities,
                rule.remediationSteps(),
                eventTime,
                eventTime,
                now,
                List.of(Map.of("type", "PalisadeCluster", "connectorId", envelope.connectorId().toString(),
                        "clusterId", envelope.clusterId().toString())),
                properties,
                evidence,
                envelope.clusterId() + "|" + rule.alertType(),
                "Containers",
                envelope.connectorId(),
                envelope.clusterId(),
                rule.id());
    }
}
