package io.palisade.detection.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.palisade.common.problem.Problem;
import io.palisade.detection.ingest.FailedIngestAttempts;

/**
 * A source blocked for its failed ingest authentications: 429 as Problem JSON, like every other error, plus
 * {@code Retry-After} with the seconds until its window ends (more specific than the shared ProblemException
 * mapper, which knows no headers).
 */
public class SourceBlockedMapper {
    @ServerExceptionMapper
    public Response sourceBlocked(FailedIngestAttempts.SourceBlocked e) {
        return Response.status(429).header("Retry-After", Long.toString(e.retryAfterSeconds()))
                .type(Problem.MEDIA_TYPE).entity(e.toProblem()).build();
    }
}
