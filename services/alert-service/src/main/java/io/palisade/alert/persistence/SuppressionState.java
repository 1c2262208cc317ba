package io.palisade.alert.persistence;

/**
 * The state of a suppression rule as Defender shows it. Callers set Enabled or Disabled; Expired is reported for an
 * enabled rule whose {@code expirationDateUtc} has passed (it then suppresses nothing).
 */
public enum SuppressionState {
    Enabled, Disabled, Expired
}
