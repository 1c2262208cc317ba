package io.palisade.common.security;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.palisade.common.problem.ProblemException;

/**
 * Keeps every caller inside their {@code palisade_scopes}, in every service the same way: a request whose path names
 * a connector (a path parameter {@code connectorId}, or plan-service's {@code scopeId}) that the caller's scopes do not
 * cover is answered 404, exactly as if the connector did not exist, so that a scoped user cannot even learn that
 * another connector's id is in use. Lists and queries that are not addressed by a connector in the path (alerts,
 * the audit-log archive, the connector list) narrow themselves with {@link CallerScopes}.
 */
public class ConnectorScopeFilter {
    /** The path parameters that name a connector, across the services. */
    static final List<String> CONNECTOR_PARAMETERS = List.of("connectorId", "scopeId");

    /** The request's scopes: a request-scoped bean, made (and the caller looked at) only when first asked. */
    private final CallerScopes scopes;

    public ConnectorScopeFilter(CallerScopes scopes) {
        this.scopes = scopes;
    }

    @ServerRequestFilter
    public void keepWithinScopes(UriInfo uriInfo) {
        List<UUID> named = connectorsNamedBy(uriInfo);
        if (named.isEmpty()) {
            return; // the caller is not even looked at: /ingest/** authenticates clusters with their own tokens
        }
        for (UUID connectorId : named) {
            if (!scopes.permits(connectorId)) {
                throw ProblemException.notFound("Connector", connectorId);
            }
        }
    }

    private static List<UUID> connectorsNamedBy(UriInfo uriInfo) {
        List<UUID> named = new ArrayList<>(1);
        for (String parameter : CONNECTOR_PARAMETERS) {
            String value = uriInfo.getPathParameters().getFirst(parameter);
            if (value != null) {
                try {
                    named.add(UUID.fromString(value));
                } catch (IllegalArgumentException e) {
                    // not an id: the resource answers it as it answers any malformed id
                }
            }
        }
        return named;
    }
}
