package io.palisade.alert.service;

/**
 * Fired (as a CDI event) when an alert is stored for the first time, updated by a correlation update, or changes
 * status. The live stream observes it {@code AFTER_SUCCESS} (it only ever shows committed alerts); the export outbox
 * observes it {@code IN_PROGRESS}, so that its delivery rows commit together with the alert change and none is lost.
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
