package io.palisade.alert.persistence;

/** Why alerts are suppressed, as in Defender's suppression rules. */
public enum SuppressionReason {
    /** The detection is wrong: the activity is not what the alert says. */
    FalsePositive,
    /** The detection is right, but the activity is expected (a CI deployer, a debugging session, ...). */
    BenignPositive,
    Other
}
