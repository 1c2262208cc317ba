package io.palisade.connector.messaging;

import java.util.UUID;

import static io.palisade.common.messaging.TransientFailures.retryWhileTransient;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.palisade.common.events.ClusterActivityEvent;
import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.connector.persistence.ClusterActivity;
import io.palisade.connector.persistence.ScopePlanState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/**
 * What connector-service needs to know from the rest of the platform for its recommendations: plan state per
 * connector and when each cluster last sent audit logs. Unreadable records go to the topic's dead-letter topic; a
 * database that is away is waited for (each record in a transaction of its own, tried again until it is back).
 */
@ApplicationScoped
public class PlatformStateConsumers {
    public static final String PLANS_CHANNEL = "plans-in";
    public static final String ACTIVITY_CHANNEL = "cluster-activity-in";

    @Incoming(PLANS_CHANNEL)
    @Blocking
    public void onPlanState(ConsumerRecord<String, String> record) {
        retryWhileTransient("Applying plan state " + record.key(),
                () -> QuarkusTransaction.requiringNew().run(() -> applyPlanState(record)));
    }

    private void applyPlanState(ConsumerRecord<String, String> record) {
        UUID scopeId = EventCodec.idKey(record.key());
        if (record.value() == null) {
            ScopePlanState.deleteById(scopeId);
            return;
        }
        PlanStateEvent event = EventCodec.decode(record.value(), PlanStateEvent.class, PlanStateEvent.TYPE,
                PlanStateEvent.VERSION);
        ScopePlanState state = ScopePlanState.findById(scopeId);
        if (state == null) {
            state = new ScopePlanState();
            state.scopeId = scopeId;
        }
        state.protectedSince = event.protectingPlan().map(PlanStateEvent.PlanEntry::enablementTime).orElse(null);
        state.collectsAuditLogs = event.collectsAuditLogs();
        state.persist();
    }

    @Incoming(ACTIVITY_CHANNEL)
    @Blocking
    public void onClusterActivity(ConsumerRecord<String, String> record) {
        retryWhileTransient("Applying cluster activity " + record.key(),
                () -> QuarkusTransaction.requiringNew().run(() -> applyClusterActivity(record)));
    }

    private void applyClusterActivity(ConsumerRecord<String, String> record) {
        UUID clusterId = EventCodec.idKey(record.key());
        if (record.value() == null) {
            ClusterActivity.deleteById(clusterId);
            return;
        }
        ClusterActivityEvent event = EventCodec.decode(record.value(), ClusterActivityEvent.class,
                ClusterActivityEvent.TYPE, ClusterActivityEvent.VERSION);
        ClusterActivity activity = ClusterActivity.findById(clusterId);
        if (activity == null) {
            activity = new ClusterActivity();
            activity.clusterId = clusterId;
        }
        activity.connectorId = event.connectorId();
        if (activity.lastAuditEventAt == null || event.lastAuditEventAt().isAfter(activity.lastAuditEventAt)) {
            activity.lastAuditEventAt = event.lastAuditEventAt();
        }
        activity.persist();
    }
}
