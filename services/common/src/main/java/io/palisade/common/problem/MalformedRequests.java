package io.palisade.common.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.palisade.common.messaging.EventCodec;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests the HTTP layer cannot even take apart still get a Problem that says what is wrong with them, in every
 * service: a URL whose percent-escapes do not decode ({@code %zz}, a lone {@code %}) — which Vert.x answers with a
 * bare 400 before any resource sees it — and a {@code Content-Type} header that is no media type (the framework
 * would otherwise fail with a 500 when choosing between a resource's {@code @Consumes}).
 */
@ApplicationScoped
public class MalformedRequests {
    static final String UNREADABLE_URL = "The request's URL cannot be decoded: a percent-escape is not '%' followed "
            + "by two hexadecimal digits (write '%' itself as %25), or the path is not a valid URI path";

    /**
     * Quarkus refuses a URL that {@code java.net.URI} cannot parse with a bare 400 before any handler runs, unless
     * the JVM starts with {@code -Dvertx.disableURIValidation=true} (./palisade, the images and the tests do): then
     * the request reaches the router and the resources, and whatever cannot decode it says so in a Problem (the
     * resources' parameters: {@link ProblemExceptionMappers#webApplication}; the handlers before them: here).
     */
    void onRouter(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(MalformedRequests::explainBadRequest);
    }

    /**
     * Vert.x's own 400s (its query decoding fails while the request is being authenticated, before any resource)
     * would go out without a body: give them one. Every other failure goes on to the next handler.
     */
    static void explainBadRequest(RoutingContext ctx) {
        if (ctx.statusCode() != 400 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(EventCodec.encode(Problem.of(400, "Bad Request", UNREADABLE_URL)));
    }

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
