package io.palisade.alert.service;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;

/**
 * Announces every alert change to all replicas through PostgreSQL {@code NOTIFY} on the channel {@value #NAME}, in
 * the transaction that makes the change: PostgreSQL delivers it only if and when that transaction commits, to every
 * session listening ({@link AlertChangeListener}), the announcing replica's own included. The payload is small
 * ({@code {"alertId":"…","kind":"Created|Updated|StatusChanged"}}, well under PostgreSQL's 8000-byte limit: alert ids
 * are at most 64 characters); each replica reads the alert itself.
 */
@ApplicationScoped
public class AlertChangeChannel {
    /** The PostgreSQL notification channel. */
    public static final String NAME = "palisade_alert_changed";

    private static final Logger LOG = Logger.getLogger(AlertChangeChannel.class);

    private final EntityManager em;

    public AlertChangeChannel(EntityManager em) {
        this.em = em;
    }

    /** Queues the notification in the change's transaction; it is sent on commit and dropped on rollback. */
    void announce(@Observes(during = TransactionPhase.IN_PROGRESS) AlertChanged change) {
        String payload = payload(change);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, NAME);
                notify.setString(2, payload);
                notify.execute();
            }
        });
    }

    /** The notification payload of a change (what another replica would send, too). */
    public static String payload(AlertChanged change) {
        return EventCodec.mapper().createObjectNode()
                .put("alertId", change.alertId())
                .put("kind", change.kind().name())
                .toString();
    }

    /** The change a payload announces; empty (and logged) if it is unreadable, e.g. sent by a newer version. */
    static Optional<AlertChanged> parse(String payload) {
        try {
            JsonNode node = EventCodec.mapper().readTree(payload);
            String alertId = node.path("alertId").asText(null);
            AlertChanged.Kind kind = AlertChanged.Kind.valueOf(node.path("kind").asText(""));
            if (alertId != null) {
                return Optional.of(new AlertChanged(alertId, kind));
            }
        } catch (IOException | IllegalArgumentException e) {
            // falls through to the warning
        }
        LOG.warnf("Ignored an unreadable alert change notification: %s", payload);
        return Optional.empty();
    }
}
