package io.palisade.gateway.portal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.RequestScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palisade.gateway.config.GatewayConfig;
import io.palisade.gateway.persistence.ApiActivityLog;
import io.palisade.gateway.routing.RouteTable;
import io.palisade.gateway.routing.UpstreamClient;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The portal's way to the services: the same public API that API clients use, called with the signed-in user's own
 * access token (so every service applies that user's role and scopes) through the gateway's upstream client (same
 * timeouts and circuit breakers). Called from the portal's page handlers, which run on worker threads.
 */
@RequestScoped
public class PortalApi {
    private final RouteTable routes;
    private final UpstreamClient upstreams;
    private final ApiActivityLog activity;
    private final GatewayConfig.Routing routing;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public PortalApi(RouteTable routes, UpstreamClient upstreams, ApiActivityLog activity,
            GatewayConfig.Routing routing, SecurityIdentity identity, ObjectMapper json) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.activity = activity;
        this.routing = routing;
        this.identity = identity;
        this.json = json;
    }

    /** A service's answer: its status, and its body (JSON, a Problem, or a download). */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    public Answer get(String pathAndQuery) {
        return call(HttpMethod.GET, pathAndQuery, null);
    }

    public Answer post(String path, Object body) {
        return call(HttpMethod.POST, path, body);
    }

    public Answer put(String path, Object body) {
        return call(HttpMethod.PUT, path, body);
    }

    public Answer delete(String path) {
        return call(HttpMethod.DELETE, path, null);
    }

    /** The body as plain maps and lists for the templates; an empty map when the call failed. */
    public Object data(Answer answer) {
        if (answer.body().length == 0 || answer.contentType() == null || !answer.contentType().contains("json")) {
            return Map.of();
        }
        try {
            return json.readValue(answer.body(), Object.class);
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    /** The {@code value} list of a page answer ({@code {"value": [...], "nextLink": ...}}), empty when it failed. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> items(Answer answer) {
        if (!answer.ok() || !(data(answer) instanceof Map<?, ?> page) || !(page.get("value") instanceof List<?> value)) {
            return List.of();
        }
        return (List<Map<String, Object>>) value;
    }

    /** What went wrong, in the words of the service's Problem answer, for a banner on the page. */
    public String problem(Answer answer) {
        if (answer.ok()) {
            return null;
        }
        Object data = data(answer);
        if (data instanceof Map<?, ?> problem && problem.get("detail") != null) {
            return String.valueOf(problem.get("detail"));
        }
        return "The request failed (HTTP " + answer.status() + ")";
    }

    private Answer call(HttpMethod method, String pathAndQuery, Object body) {
        if (!pathAndQuery.startsWith("/api/")) {
            throw new IllegalArgumentException("The portal only calls the public API: " + pathAndQuery);
        }
        var upstream = routes.forApiPath(pathAndQuery.contains("?")
                ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery)
                .orElseThrow(() -> new IllegalArgumentException("No service owns " + pathAndQuery));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + accessToken())
                .add("Accept", "application/json");
        Buffer payload = null;
        if (body != null) {
            try {
                payload = Buffer.buffer(body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                        : json.writeValueAsBytes(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
            headers.add("Content-Type", "application/json");
        }
        var options = new RequestOptions().setMethod(method).setURI(pathAndQuery).setHeaders(headers);
        Answer answer;
        try {
            answer = upstreams.send(upstream, options, payload)
                    .compose(response -> {
                        var read = response.body().map(bytes -> {
                            Map<String, String> answerHeaders = new java.util.HashMap<>();
                            response.headers().forEach(h -> answerHeaders.put(h.getKey().toLowerCase(), h.getValue()));
                            return new Answer(response.statusCode(), response.getHeader("Content-Type"),
                                    bytes.getBytes(), answerHeaders);
                        });
                        response.resume();
                        return read;
                    })
                    .toCompletionStage().toCompletableFuture()
                    .get(routing.timeout().toMillis() + routing.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            answer = unavailable(upstream, e.getCause());
        } catch (TimeoutException e) {
            answer = unavailable(upstream, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = unavailable(upstream, e);
        }
        if (method != HttpMethod.GET) {
            activity.record(identity.getPrincipal().getName(), method.name(), pathAndQuery, answer.status(),
                    upstream.name());
        }
        return answer;
    }

    private Answer unavailable(RouteTable.Upstream upstream, Throwable failure) {
        var described = upstreams.describe(upstream, failure);
        String problem = "{\"status\":" + described.status() + ",\"title\":\"" + described.title()
                + "\",\"detail\":" + quote(described.detail()) + "}";
        return new Answer(described.status(), "application/problem+json", problem.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    private String quote(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"\"";
        }
    }

    private String accessToken() {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null) {
            throw new IllegalStateException("The portal session carries no access token");
        }
        return credential.getToken();
    }
}
