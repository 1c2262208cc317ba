package io.palisade.common.security;

/** Realm roles every service checks itself (defence in depth; the gateway is not the only wall). */
public final class Roles {
    /** Everything a reader can, plus every change: connectors, plans, alert state, rules, sensors. */
    public static final String SECURITY_ADMIN = "security-admin";
    /** Views connectors, plans, recommendations, alerts and rules; never changes anything. */
    public static final String SECURITY_READER = "security-reader";

    private Roles() {
    }
}
