package io.palisade.common.messaging;

import java.util.List;

/** The Kafka topics of the platform (see docs/design): names shared by producers, consumers and tests. */
public final class Topics {
    public static final String AUDIT_EVENTS = "palisade.audit-events";
    public static final String AUDIT_EVENTS_DLQ = "palisade.audit-events.dlq";
    public static final String ALERTS = "palisade.alerts";
    public static final String ALERTS_DLQ = "palisade.alerts.dlq";
    public static final String CONNECTORS = "palisade.connectors";
    public static final String CONNECTORS_DLQ = "palisade.connectors.dlq";
    public static final String PLANS = "palisade.plans";
    public static final String PLANS_DLQ = "palisade.plans.dlq";
    /** Per cluster, when detection last received its audit logs (compacted; feeds connector-service's recommendations). */
    public static final String CLUSTER_ACTIVITY = "palisade.cluster-activity";
    public static final String CLUSTER_ACTIVITY_DLQ = "palisade.cluster-activity.dlq";

    /**
     * AKS diagnostic-log records ({@code {"records":[…]}}, as Azure writes them to an Event Hub), relayed into the
     * platform's Kafka; detection-service can instead read them from the Event Hub itself (Kafka protocol).
     */
    public static final String AKS_AUDIT = "palisade.aks-audit";

    /**
     * A topic and how it is laid out; compacted topics keep the latest state per key. {@code maxMessageBytes} above
     * Kafka's 1 MB default where one record may be larger: an audit event carries the request and response objects
     * (the API server accepts objects of up to 3 MiB), an alert names what the event names (its description may
     * quote a long name more than once), and a dead letter carries the record it rejects.
     */
    public record TopicSpec(String name, int partitions, boolean compacted, int maxMessageBytes) {
        public TopicSpec(String name, int partitions, boolean compacted) {
            this(name, partitions, compacted, 0);
        }
    }

    /** Largest audit or sensor event record, and alert (8 MiB). */
    public static final int MAX_EVENT_RECORD_BYTES = 8 * 1024 * 1024;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(AUDIT_EVENTS, 6, false, MAX_EVENT_RECORD_BYTES),
            new TopicSpec(AUDIT_EVENTS_DLQ, 1, false, MAX_EVENT_RECORD_BYTES),
            new TopicSpec(ALERTS, 3, false, MAX_EVENT_RECORD_BYTES),
            new TopicSpec(ALERTS_DLQ, 1, false, MAX_EVENT_RECORD_BYTES),
            new TopicSpec(CONNECTORS, 1, true),
            new TopicSpec(CONNECTORS_DLQ, 1, false),
            new TopicSpec(PLANS, 1, true),
            new TopicSpec(PLANS_DLQ, 1, false),
            new TopicSpec(CLUSTER_ACTIVITY, 1, true),
            new TopicSpec(CLUSTER_ACTIVITY_DLQ, 1, false),
            new TopicSpec(AKS_AUDIT, 3, false, MAX_EVENT_RECORD_BYTES));

    private Topics() {
    }
}
