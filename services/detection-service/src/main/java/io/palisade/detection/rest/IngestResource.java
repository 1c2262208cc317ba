package io.palisade.detection.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.problem.Problem;
import io.palisade.common.problem.ProblemException;
import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.ingest.FailedIngestAttempts;
import io.palisade.detection.ingest.FirehoseDelivery;
import io.palisade.detection.ingest.IngestSources;
import io.palisade.detection.service.IngestService;
import io.vertx.core.http.HttpServerRequest;

/**
 * Where clusters send their data (through the gateway's {@code /ingest/**}). Clusters authenticate with their own
 * ingest token, never a user token, so these paths are outside OIDC and check the token themselves. Every answer
 * comes only after Kafka acknowledged every event of the request. Failed authentications count against the
 * request's source address ({@link IngestSources}); a source that made too many gets 429 for a while.
 */
@Path("/ingest")
@PermitAll
@Consumes({ MediaType.APPLICATION_JSON, "application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.WILDCARD })
@Produces(MediaType.APPLICATION_JSON)
public class IngestResource {
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final IngestService ingest;
    private final DetectionConfig.Ingest limits;
    private final IngestSources sources;

    public IngestResource(IngestService ingest, DetectionConfig.Ingest limits, IngestSources sources) {
        this.ingest = ingest;
        this.limits = limits;
        this.sources = sources;
    }

    /** The API server's audit webhook: an EventList (or an Event, an array, JSON Lines). */
    @POST
    @Path("k8s-audit")
    public IngestService.Accepted auditWebhook(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request, InputStream body) {
        return ingest.ingestAudit(source(request), authorization, () -> read(request, body));
    }

    /**
     * EKS audit logs delivered by Amazon Data Firehose (HTTP endpoint destination; the cluster's ingest token is the
     * Firehose access key). Answered in the shape Firehose expects, errors included: {@code requestId},
     * {@code timestamp} and, on failure, {@code errorMessage} (with the Problem fields beside them).
     */
    @POST
    @Path("eks")
    public Response eksFirehose(@HeaderParam("X-Amz-Firehose-Access-Key") String accessKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Amz-Firehose-Request-Id") String requestIdHeader, @Context HttpServerRequest request,
            InputStream body) {
        byte[][] bytes = new byte[1][];
        try {
            FirehoseDelivery.Delivery delivery = ingest.ingestFirehose(source(request), accessKey, authorization,
                    () -> {
                        bytes[0] = read(request, body);
                        return bytes[0];
                    });
            return Response.ok(FirehoseDelivery.answer(delivery.requestId(), System.currentTimeMillis()),
                    MediaType.APPLICATION_JSON).build();
        } catch (ProblemException e) {
            String requestId = bytes[0] == null ? null : FirehoseDelivery.requestIdOrNull(bytes[0]);
            if (requestId == null) {
                requestId = requestIdHeader;
            }
            Problem problem = e.toProblem();
            ObjectNode answer = EventCodec.mapper().valueToTree(problem);
            answer.put("requestId", requestId);
            answer.put("timestamp", System.currentTimeMillis());
            answer.put("errorMessage", problem.detail());
            Response.ResponseBuilder response = Response.status(problem.status()).entity(EventCodec.encode(answer))
                    .type(MediaType.APPLICATION_JSON);
            if (e instanceof FailedIngestAttempts.SourceBlocked blocked) {
                response.header("Retry-After", Long.toString(blocked.retryAfterSeconds()));
            }
            return response.build();
        }
    }

    /** AKS diagnostic-log records ({@code {"records":[…]}}, categories kube-audit and kube-audit-admin). */
    @POST
    @Path("aks")
    public IngestService.Accepted aks(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request, InputStream body) {
        return ingest.ingestAks(source(request), authorization, () -> read(request, body));
    }

    /** Falco events of the node sensor: Falco's http_output JSON or Falcosidekick's webhook. */
    @POST
    @Path("falco")
    public IngestService.Accepted falco(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request, InputStream body) {
        return ingest.ingestFalco(source(request), authorization, () -> read(request, body));
    }

    /** The sender's address: the TCP peer, or the client a trusted proxy (the gateway) names in X-Forwarded-For. */
    private String source(HttpServerRequest request) {
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return sources.resolve(remote, request.headers().getAll(FORWARDED_FOR));
    }

    /**
     * Reads the body up to the configured limit; a larger body is refused (413) without being read further. A body
     * of a declared length is read into an array of that length (a batch is read once, not grown and copied).
     */
    private byte[] read(HttpServerRequest request, InputStream body) {
        long max = limits.maxRequestBytes();
        long declared = declaredLength(request);
        if (declared > max) {
            throw tooLarge(max);
        }
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (declared >= 0) {
                byte[] bytes = new byte[(int) declared];
                int n = body.readNBytes(bytes, 0, bytes.length);
                int next = body.read();
                if (next < 0) {
                    return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
                }
                out.write(bytes, 0, n); // more than declared (a body decoded on the way): read on, bounded as any
                out.write(next);
            }
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (out.size() + (long) n > max) {
                    throw tooLarge(max);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ProblemException(400, "Bad Request", "The request body could not be read: " + e.getMessage());
        }
    }

    /**
     * The body's declared length, or -1 when none is declared (chunked), the header is not a length, or the length
     * is more than an array holds (then the limit decides as the body is read).
     */
    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(header.trim());
            return length <= Integer.MAX_VALUE - 8 ? length : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(413, "Payload Too Large", "The request body is larger than " + max
                + " bytes (palisade.ingest.max-request-bytes); send smaller batches");
    }
}
