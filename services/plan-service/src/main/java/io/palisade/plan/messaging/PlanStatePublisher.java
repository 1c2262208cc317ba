package io.palisade.plan.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.palisade.common.events.PlanStateEvent;
import io.palisade.common.messaging.StatePublisher;
import io.palisade.common.messaging.Topics;
import io.palisade.plan.persistence.Plan;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Publishes the latest plan state of a scope on the compacted {@code palisade.plans} topic. */
@ApplicationScoped
public class PlanStatePublisher {
    public static final String CHANNEL = "plans-out";

    private final MutinyEmitter<Record<String, String>> emitter;

    public PlanStatePublisher(@Channel(CHANNEL) MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public void scopeChanged(UUID scopeId, List<Plan> plans) {
        var entries = plans.stream()
                .map(PlanStatePublisher::entry)
                .toList();
        StatePublisher.publish(emitter::send, Topics.PLANS, scopeId.toString(),
                PlanStateEvent.of(scopeId, entries, Instant.now()));
    }

    private static PlanStateEvent.PlanEntry entry(Plan p) {
        Map<String, Boolean> extensions = new TreeMap<>();
        p.key.name.extensions().forEach(e -> extensions.put(e.name(), p.isEnabled(e)));
        return new PlanStateEvent.PlanEntry(p.key.name.name(), p.pricingTier.name(), p.enablementTime, extensions,
                p.auditLogRetentionDays);
    }

    public void scopeDeleted(UUID scopeId) {
        StatePublisher.publish(emitter::send, Topics.PLANS, scopeId.toString(), null);
    }
}
