package io.palisade.common.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requests the HTTP layer cannot even take apart still get a Problem that says what is wrong with them, in every
 * service: a {@code Content-Type} header that is no media type (the framework would otherwise fail with a 500 when
 * choosing between a resource's {@code @Consumes}), and a URL whose percent-escapes do not decode ({@code %zz}, a lone
 * {@code %}; {@link ProblemExceptionMappers#webApplication} says so). For the latter the JVM starts with
 * {@code -Dvertx.disableURIValidation=true} (./palisade, the images and the tests do): otherwise Quarkus refuses a URL
 * that {@code java.net.URI} cannot parse with a bare 400, no body, before any handler runs.
 */
@ApplicationScoped
public class MalformedRequests {
    static final String UNREADABLE_URL = "The request's URL cannot be decoded: a percent-escape is not '%' followed "
            + "by two hexadecimal digits (write '%' itself as %25), or the path is not a valid URI path";

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseUnreadableContentType(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return Optional.empty();
        }
        try {
            if (!contentType.isBlank()) {
                MediaType.valueOf(contentType);
                return Optional.empty();
            }
        } catch (IllegalArgumentException unreadable) {
            // answered below
        }
        return Optional.of(ProblemExceptionMappers.respond(Problem.of(400, "Bad Request", "The Content-Type header '"
                + contentType + "' is not a media type (one type/subtype, such as application/json, with optional "
                + "parameters)")));
    }
}
