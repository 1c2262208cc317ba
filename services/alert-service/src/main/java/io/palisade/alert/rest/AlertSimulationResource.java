package io.palisade.alert.rest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.palisade.common.security.CallerScopes;
import io.palisade.alert.service.AlertSimulation;
import io.palisade.common.events.AuditEventEnvelope;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.ProblemException;
import io.palisade.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code POST /api/alerts/simulate} (admin): sample alerts through the real pipeline, as Defender's
 * {@code alerts/default/simulate}. Body: {@code {"clusterId": …, "connectorId": …, "properties": {"kind": "Bundles",
 * "bundles": ["KubernetesService"]}}} ({@code properties} may be left out: the Kubernetes bundle). 202 once detection
 * has the synthetic events; the alerts follow within seconds, if detection protects the cluster.
 */
@Path("/api/alerts/simulate")
@Produces(MediaType.APPLICATION_JSON)
public class AlertSimulationResource {
    static final String NOTE = "The synthetic audit events were handed to detection. Their alerts (displayName "
            + "\"[Simulated] …\", extendedProperties.simulated \"true\") appear within seconds on GET /api/alerts and "
            + "the live stream only if the cluster is registered under this connector and the connector is protected "
            + "(Containers plan at Standard); otherwise detection ignores the events and no alerts appear.";

    private final AlertSimulation simulation;
    private final CallerScopes scopes;
    private final SecurityIdentity identity;

    public AlertSimulationResource(AlertSimulation simulation, CallerScopes scopes, SecurityIdentity identity) {
        this.simulation = simulation;
        this.scopes = scopes;
        this.identity = identity;
    }

    /** The request, Defender's body plus the cluster to simulate on. */
    public record SimulationRequest(String clusterId, String connectorId, Properties properties) {
        public record Properties(String kind, List<String> bundles) {
        }
    }

    /** The 202 answer: what was sent and how to recognise what comes back. */
    public record SimulationAccepted(String runId, UUID clusterId, UUID connectorId, List<String> bundles,
            String sourceFormat, String auditIdPrefix, int events, List<String> expectedAlertTypes, String alerts,
            String note) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SECURITY_ADMIN)
    @Operation(summary = "Simulate the alerts of a bundle (KubernetesService) on a cluster, end to end")
    public Response simulate(String body) {
        SimulationRequest request = parse(body);
        UUID clusterId = uuid("clusterId", request.clusterId());
        UUID connectorId = uuid("connectorId", request.connectorId());
        List<String> bundles = bundles(request.properties());
        if (!scopes.permits(connectorId)) {
            throw new ProblemException(403, "Forbidden", "connector " + connectorId + " is outside your scopes");
        }
        AlertSimulation.Run run = simulation.simulate(clusterId, connectorId, bundles,
                identity.getPrincipal().getName());
        return Response.accepted(new SimulationAccepted(run.runId(), run.clusterId(), run.connectorId(),
                run.bundles(), AuditEventEnvelope.SIMULATION, run.auditIdPrefix(), run.events(), run.alertTypes(),
                "/api/alerts?clusterId=" + clusterId, NOTE)).build();
    }

    private static SimulationRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("clusterId", "required: the body is {\"clusterId\": …, "
                    + "\"connectorId\": …, \"properties\": {\"kind\": \"Bundles\", \"bundles\": [\"KubernetesService\"]}}");
        }
        try {
            SimulationRequest request = EventCodec.mapper().readValue(body, SimulationRequest.class);
            if (request == null) {
                throw ProblemException.badRequest("clusterId", "required");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("body", "not a simulation request (" + e.getOriginalMessage() + ")");
        }
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(field, "required");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "must be a UUID");
        }
    }

    private static List<String> bundles(SimulationRequest.Properties properties) {
        if (properties == null) {
            return List.of(AlertSimulation.KUBERNETES_BUNDLE);
        }
        if (!"Bundles".equals(properties.kind())) {
            throw ProblemException.badRequest("properties.kind", "must be \"Bundles\"");
        }
        if (properties.bundles() == null || properties.bundles().isEmpty()) {
            throw ProblemException.badRequest("properties.bundles", "name at least one bundle: "
                    + AlertSimulation.BUNDLES);
        }
        for (String bundle : properties.bundles()) {
            if (bundle == null || !AlertSimulation.BUNDLES.contains(bundle)) {
                throw ProblemException.badRequest("properties.bundles", "unknown bundle " + bundle
                        + "; Palisade simulates " + AlertSimulation.BUNDLES);
            }
        }
        return List.copyOf(new LinkedHashSet<>(properties.bundles()));
    }
}
