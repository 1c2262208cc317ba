package io.palisade.benchmarks.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The running stack as its users reach it: Keycloak's password grant for a dev user (the development-only
 * {@code palisade-cli} client), the public API and the ingest path through the gateway.
 */
final class StackApi {
    static final ObjectMapper JSON = new ObjectMapper();

    record Cluster(UUID id, String name, String ingestToken) {
    }

    /** An answer to an ingest POST: the status, the events accepted, and when Retry-After asks to wait (ms). */
    record IngestAnswer(int status, int accepted, long retryAfterMillis, String body) {
    }

    private final URI gateway;
    private final URI keycloak;
    private final String user;
    private final String password;
    private final HttpClient http;
    private String token;
    private Instant tokenFetched = Instant.EPOCH;

    StackApi(URI gateway, URI keycloak, String user, String password) {
        this.gateway = gateway;
        this.keycloak = keycloak;
        this.user = user;
        this.password = password;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A user token, fetched again after a minute (Keycloak's default lifetime is five). */
    synchronized String token() {
        if (Duration.between(tokenFetched, Instant.now()).toSeconds() > 60) {
            String form = "grant_type=password&client_id=palisade-cli&username=" + enc(user) + "&password="
                    + enc(password);
            JsonNode answer = expect(200, send(HttpRequest.newBuilder(keycloak.resolve(
                    "/realms/palisade/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build()), "sign in as " + user);
            token = answer.path("access_token").asText();
            tokenFetched = Instant.now();
        }
        return token;
    }

    UUID createConnector(String displayName) {
        JsonNode connector = expect(201, post("/api/connectors",
                JSON.createObjectNode().put("environment", "OnPrem").put("displayName", displayName)),
                "create a connector");
        return UUID.fromString(connector.path("id").asText());
    }

    Cluster createCluster(UUID connectorId, String name) {
        JsonNode cluster = expect(201, post("/api/connectors/" + connectorId + "/clusters",
                JSON.createObjectNode().put("name", name).put("kind", "OnPrem")), "register cluster " + name);
        return new Cluster(UUID.fromString(cluster.path("id").asText()), name, cluster.path("ingestToken").asText());
    }

    /** Turns Containers on; plan-service learns of a new connector over Kafka, so this retries for a while. */
    void enableContainers(UUID connectorId, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            HttpResponse<String> answer = send(authorized("/api/plans/" + connectorId + "/Containers")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"pricingTier\":\"Standard\"}")).build());
            if (answer.statusCode() == 200) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not turn Containers on for " + connectorId + ": "
                        + answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(250);
        }
    }

    IngestAnswer ingest(String ingestToken, byte[] eventList) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(gateway.resolve("/ingest/k8s-audit"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ingestToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(eventList)).build());
        int accepted = 0;
        if (answer.statusCode() == 200) {
            accepted = read(answer.body()).path("accepted").asInt();
        }
        long retryAfter = answer.headers().firstValue("Retry-After").map(s -> {
            try {
                return Long.parseLong(s.trim()) * 1000;
            } catch (NumberFormatException e) {
                return 1000L;
            }
        }).orElse(0L);
        return new IngestAnswer(answer.statusCode(), accepted, retryAfter, answer.body());
    }

    /** One page of the connector's alerts, newest first. */
    List<JsonNode> alerts(UUID connectorId, int skip, int top) {
        JsonNode page = expect(200, send(authorized("/api/alerts?connectorId=" + connectorId + "&skip=" + skip
                + "&top=" + top).GET().build()), "list alerts");
        List<JsonNode> alerts = new ArrayList<>();
        page.path("value").forEach(alerts::add);
        return alerts;
    }

    private HttpResponse<String> post(String path, JsonNode body) {
        return send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode expect(int status, HttpResponse<String> answer, String what) {
        if (answer.statusCode() != status) {
            throw new IllegalStateException("could not " + what + ": " + answer.request().method() + " "
                    + answer.request().uri() + " answered " + answer.statusCode() + " " + answer.body());
        }
        return read(answer.body());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
