package io.palisade.common.problem;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.palisade.common.messaging.TransientFailures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Maps every error a REST resource can raise to a Problem JSON body, the same in every service: bad input names the
 * field or the parse problem, security failures say 401 or 403, and an unexpected failure is logged with an id that
 * the body repeats (never a stack trace to the caller).
 */
public class ProblemExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    static final int DEPENDENCY_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformedJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : "";
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String detail = "Malformed JSON body" + (field.isEmpty() ? "" : " at '" + field + "'") + ": "
                + e.getOriginalMessage() + where;
        List<Problem.FieldError> errors = field.isEmpty() ? List.of()
                : List.of(new Problem.FieldError(field, e.getOriginalMessage()));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, errors));
    }

    /** More specific than the framework's own mapper for this type, so wrong types and enum values get a Problem. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    /**
     * The framework answers this type with a bare 500. Met while reading a body it is the body's doing (a creator
     * property given again after the object was built); met while writing a response it is ours.
     */
    @ServerExceptionMapper(priority = 1)
    public Response invalidDefinition(InvalidDefinitionException e) {
        return e.getProcessor() instanceof JsonParser ? malformedJson(e) : unexpected(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "Your role does not allow this operation"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException parseError) {
            return malformedJson(parseError);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        String title = original.getStatusInfo().getReasonPhrase();
        Throwable undecodable = status == 400 ? rootCause(e) : null;
        if (undecodable instanceof IllegalArgumentException && undecodable.getMessage() != null
                && (undecodable.getMessage().contains("escape") || undecodable.getMessage().contains("hex byte"))) {
            // the framework could not decode the URL's query ("unterminated escape sequence", "invalid hex byte")
            return respond(Problem.of(400, title, MalformedRequests.UNREADABLE_URL + " (" + undecodable.getMessage()
                    + ")"));
        }
        return respond(Problem.of(status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (TransientFailures.isTransient(e)) {
            // the database or broker is away for now (restarting, failing over, pool exhausted): nothing is wrong
            // with the request, so the caller is told to send it again, as for any unavailable dependency
            LOG.warnf("Answering 503: a dependency is not reachable (%s)", e.getMessage());
            return Response.fromResponse(respond(Problem.of(503, "Service Unavailable", "The service's database or "
                    + "Kafka broker is not reachable right now; nothing was changed, send the request again")))
                    .header(HttpHeaders.RETRY_AFTER, DEPENDENCY_RETRY_AFTER_SECONDS).build();
        }
        if (unstorableText(e)) {
            return respond(Problem.of(400, "Bad Request", "A text value of the request contains a character that "
                    + "cannot be stored (the NUL character, U+0000, or a byte sequence that decodes to it)"));
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", errorId);
        return respond(Problem.of(500, "Internal Server Error",
                "An unexpected error occurred; quote error id " + errorId + " when reporting it"));
    }

    /**
     * PostgreSQL refuses NUL in text (SQLSTATE 22021) and in jsonb strings (22P05); Java strings and JSON may carry
     * it, so only the database can tell, and the request, not the service, is at fault.
     */
    static boolean unstorableText(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState())
                    || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static Response unauthenticated() {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(401, "Unauthorized", "A valid bearer token is required"))
                .build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** "create.request.displayName" → "displayName": callers know their body's fields, not our method names. */
    private static String fieldName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length))
                : parts[parts.length - 1];
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
