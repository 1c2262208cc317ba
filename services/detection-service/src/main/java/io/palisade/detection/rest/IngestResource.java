package io.palisade.detection.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.palisade.detection.service.IngestService;

/**
 * Where clusters send their audit logs (through the gateway's {@code /ingest/**}). Clusters authenticate with their
 * own ingest token, never a user token, so this path is outside OIDC and checks the token itself.
 */
@Path("/ingest")
@PermitAll
public class IngestResource {
    private final IngestService ingest;

    public IngestResource(IngestService ingest) {
        this.ingest = ingest;
    }

    /** The API server's audit webhook: an EventList (or an Event, an array, JSON Lines). */
    @POST
    @Path("k8s-audit")
    @Consumes({ MediaType.APPLICATION_JSON, "application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.WILDCARD })
    @Produces(MediaType.APPLICATION_JSON)
    public IngestService.Accepted auditWebhook(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        return ingest.ingestAudit(authorization, body);
    }
}
