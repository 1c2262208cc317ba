package io.palisade.alert.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.palisade.alert.config.AlertStreamConfig;
import io.palisade.alert.persistence.Alert;
import io.palisade.common.security.CallerScopes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The live feed of alert changes behind {@code GET /api/alerts/stream}. Every committed change, made by this replica
 * or any other, reaches it as a PostgreSQL notification ({@link AlertChangeChannel}, {@link AlertChangeListener}); it
 * is loaded once and broadcast to every open stream of this replica, each of which keeps only the alerts of the
 * connectors its caller may see. A subscriber that falls more than {@code palisade.alert-stream.buffer-size} changes
 * behind fails with a back-pressure failure, upon which its stream is closed; when the feed itself may have missed
 * changes (its listening connection was lost, or the changed alerts could not be read) every open stream fails with
 * {@link Interrupted} and is closed. Nothing is replayed: a client reconnects and reloads the list.
 */
@ApplicationScoped
public class AlertStream {
    private static final Logger LOG = Logger.getLogger(AlertStream.class);
    /** Alerts read with one query (bound parameters stay far below the driver's limit). */
    private static final int READ_BATCH = 500;

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

    /** Ends the streams that were open while the feed may have missed changes. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("the live feed may have missed alert changes", null, false, false);
        }
    }

    /** Replaced, after failing its subscribers, whenever the feed was interrupted. */
    private volatile BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AlertStreamConfig config;
    private volatile boolean open = true;

    public AlertStream(AlertStreamConfig config) {
        this.config = config;
    }

    /** The changes the audience may see, from the moment of subscription on, buffered up to the configured size. */
    public Multi<Change> changes(Audience audience) {
        return Multi.createFrom().deferred(() -> changes)
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
     * Broadcasts committed changes in the order the database announced them, each with its alert as it is now (read
     * once per batch, in a transaction of its own; an alert deleted since is skipped). Nobody listening, nothing is
     * read. If the alerts cannot be read, the open streams are interrupted rather than silently left behind.
     */
    void publish(List<AlertChanged> notified) {
        if (notified.isEmpty() || subscribers.get() == 0 || !open) {
            return;
        }
        Map<String, Alert> alerts;
        try {
            alerts = read(notified);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%d alert changes could not be read for the live stream; its open streams are closed so "
                    + "that their clients reload", notified.size());
            interrupt();
            return;
        }
        for (AlertChanged change : notified) {
            Alert alert = alerts.get(change.alertId());
            if (alert != null) {
                broadcast(new Change(change.kind(), alert));
            }
        }
    }

    private static Map<String, Alert> read(List<AlertChanged> notified) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(notified.stream().map(AlertChanged::alertId).toList()));
        Map<String, Alert> byId = new HashMap<>();
        for (int from = 0; from < ids.size(); from += READ_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + READ_BATCH));
            QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> list("id in ?1", batch))
                    .forEach(alert -> byId.put(alert.id, alert));
        }
        return byId;
    }

    /**
     * The feed may have missed changes: every stream open now ends with {@link Interrupted} (its client reconnects
     * and reloads); streams opened from now on get a fresh feed.
     */
    synchronized void interrupt() {
        if (!open) {
            return;
        }
        BroadcastProcessor<Change> interrupted = changes;
        changes = BroadcastProcessor.create();
        interrupted.onError(new Interrupted());
    }

    /** Changes are published on one thread, interruptions on another; a processor takes its signals one at a time. */
    private synchronized void broadcast(Change change) {
        changes.onNext(change);
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        open = false;
        changes.onComplete();
    }
}
