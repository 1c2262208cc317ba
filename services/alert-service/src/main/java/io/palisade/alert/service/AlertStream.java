package io.palisade.alert.service;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.palisade.alert.config.AlertStreamConfig;
import io.palisade.alert.persistence.Alert;
import io.palisade.alert.security.CallerScopes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The live feed of alert changes behind {@code GET /api/alerts/stream}: every committed change ({@link AlertChanged},
 * seen only after its transaction succeeded) is loaded once and broadcast to every open stream, each of which keeps
 * only the alerts of the connectors its caller may see. A subscriber that falls more than
 * {@code palisade.alert-stream.buffer-size} changes behind fails with a back-pressure failure, upon which its stream
 * is closed; nothing is replayed (a client reconnects and reloads the list).
 */
@ApplicationScoped
public class AlertStream {
    private static final Logger LOG = Logger.getLogger(AlertStream.class);

    /** One committed change and the alert as it is after it (detached: read-only). */
    public record Change(AlertChanged.Kind kind, Alert alert) {
    }

    /** The connectors a stream may see, captured when it opens: {@link CallerScopes} lives only as long as a request. */
    public record Audience(boolean all, Set<UUID> connectorIds) {
        public static Audience of(CallerScopes scopes) {
            return new Audience(scopes.all(), Set.copyOf(scopes.connectorIds()));
        }

        public boolean permits(UUID connectorId) {
            return all || connectorIds.contains(connectorId);
        }
    }

    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AlertStreamConfig config;
    private volatile boolean open = true;

    public AlertStream(AlertStreamConfig config) {
        this.config = config;
    }

    /** The changes the audience may see, from now on, buffered up to the configured size. */
    public Multi<Change> changes(Audience audience) {
        return changes
                .select().where(change -> audience.permits(change.alert().connectorId))
                .onOverflow().buffer(config.bufferSize())
                .onSubscription().invoke(subscribers::incrementAndGet)
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    /** How many streams are open. */
    public int subscribers() {
        return subscribers.get();
    }

    /** False once the application is stopping: streams end. */
    public boolean open() {
        return open;
    }

    /**
     * Runs after the change's transaction committed, on the thread that committed it; the alert is read in a
     * transaction of its own. Nobody listening, nothing is read. A failure here never undoes the change.
     */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertChanged change) {
        if (subscribers.get() == 0 || !open) {
            return;
        }
        try {
            Alert alert = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> findById(change.alertId()));
            if (alert != null) {
                broadcast(new Change(change.kind(), alert));
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Alert %s (%s) could not be sent to the live stream", change.alertId(), change.kind());
        }
    }

    /** Changes are committed on many threads; a processor takes its items one at a time. */
    private synchronized void broadcast(Change change) {
        changes.onNext(change);
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        open = false;
        changes.onComplete();
    }
}
