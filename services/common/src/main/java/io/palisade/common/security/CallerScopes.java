package io.palisade.common.security;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The connectors the caller may see and touch: the token's {@code palisade_scopes} claim (connector ids, or
 * {@code *}); a token without the claim covers every connector. Every stored record carries its connector id, so
 * every query and change can be limited to these ({@link ConnectorScopeFilter} for paths naming a connector).
 */
@RequestScoped
public class CallerScopes {
    public static final String CLAIM = "palisade_scopes";

    private final boolean all;
    private final Set<UUID> connectorIds;

    public CallerScopes(SecurityIdentity identity) {
        Set<UUID> ids = new LinkedHashSet<>();
        boolean everything = true;
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.containsClaim(CLAIM)) {
            everything = false;
            Object claim = jwt.getClaim(CLAIM);
            for (String value : values(claim)) {
                if ("*".equals(value)) {
                    everything = true;
                } else {
                    try {
                        ids.add(UUID.fromString(value));
                    } catch (IllegalArgumentException e) {
                        // not a connector id: grants nothing
                    }
                }
            }
        }
        this.all = everything;
        this.connectorIds = Set.copyOf(ids);
    }

    private static Iterable<String> values(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof Iterable<?> list) {
            for (Object item : list) {
                values.add(unquote(String.valueOf(item)));
            }
        } else if (claim != null) {
            for (String item : String.valueOf(claim).split("[\\s,]+")) {
                if (!item.isBlank()) {
                    values.add(unquote(item));
                }
            }
        }
        return values;
    }

    /** JSON string values of a claim list may come with their quotes. */
    private static String unquote(String value) {
        String v = value.trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** Whether the caller covers every connector. */
    public boolean all() {
        return all;
    }

    /** The connectors the caller covers, when not all. */
    public Set<UUID> connectorIds() {
        return connectorIds;
    }

    public boolean permits(UUID connectorId) {
        return all || connectorIds.contains(connectorId);
    }
}
