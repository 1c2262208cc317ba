package io.palisade.alert.persistence;

/** The lifecycle of an alert, as in Defender: any state can move to any other. */
public enum AlertStatus {
    Active, InProgress, Resolved, Dismissed
}
