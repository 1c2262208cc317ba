package io.palisade.alert.service;

/**
 * Fired (as a CDI event) when an alert is stored for the first time, updated by a correlation update, or changes
 * status. Both observers run {@code IN_PROGRESS}, inside the transaction that changes the alert, so that what they
 * write commits with the change or not at all: the export outbox queues its delivery rows, and
 * {@link AlertChangeChannel} queues a PostgreSQL notification that reaches the live streams of every replica once the
 * change has committed.
 */
public record AlertChanged(String alertId, Kind kind) {
    public enum Kind {
        /** A new alert arrived. */
        Created,
        /** More events were correlated into it (count, end time, evidence). */
        Updated,
        /** Its status changed (by a user, a bulk change or a suppression rule). */
        StatusChanged
    }
}
