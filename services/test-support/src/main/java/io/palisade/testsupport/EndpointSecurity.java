package io.palisade.testsupport;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Checks a service's whole endpoint table the way its users would meet it: no token 401, no Palisade role 403, and a
 * reader 403 on every change (200 on every read); a token whose {@code palisade_scopes} leave the connector out meets
 * 404 everywhere, as if it did not exist.
 */
public final class EndpointSecurity {
    private EndpointSecurity() {
    }

    /** One endpoint; {@code body} is sent as JSON when not null. */
    public record Endpoint(String method, String path, String body, boolean mutating) {
        public static Endpoint read(String path) {
            return new Endpoint("GET", path, null, false);
        }

        public static Endpoint change(String method, String path, String body) {
            return new Endpoint(method, path, body, true);
        }
    }

    public static void assertEveryEndpointChecksTheCaller(List<Endpoint> endpoints) {
        for (Endpoint e : endpoints) {
            call(null, e).then().statusCode(401);
            call(Tokens.noRole(), e).then().statusCode(403);
            call(Tokens.reader(), e).then().statusCode(e.mutating() ? 403 : 200);
        }
    }

    /**
     * Every endpoint (all of them addressing {@code connectorId}'s data) answers 404 Problem JSON to an admin whose
     * scopes cover only some other connector, changes and reads alike, and so does every read to such a reader (a
     * reader's change is refused for its role first, 403, whatever the connector), so nothing tells them the
     * connector exists; a reader scoped to it reads it.
     */
    public static void assertEveryEndpointHidesTheConnectorBeyondScopes(String connectorId, List<Endpoint> endpoints) {
        List<String> elsewhere = List.of(UUID.randomUUID().toString());
        String admin = Tokens.forUser("dave", Set.of("security-admin", "security-reader"), elsewhere);
        String reader = Tokens.forUser("erin", Set.of("security-reader"), elsewhere);
        String readerOfIt = Tokens.forUser("erin", Set.of("security-reader"), List.of(connectorId));
        for (Endpoint e : endpoints) {
            call(admin, e).then().statusCode(404).contentType("application/problem+json");
            call(reader, e).then().statusCode(e.mutating() ? 403 : 404).contentType("application/problem+json");
            if (!e.mutating()) {
                call(readerOfIt, e).then().statusCode(200);
            }
        }
    }

    private static Response call(String token, Endpoint e) {
        var request = token == null ? given() : given().auth().oauth2(token);
        if (e.body() != null) {
            request = request.contentType(ContentType.JSON).body(e.body());
        }
        return request.when().request(e.method(), e.path());
    }
}
