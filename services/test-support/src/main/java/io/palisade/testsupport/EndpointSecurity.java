package io.palisade.testsupport;

import static io.restassured.RestAssured.given;

import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Checks a service's whole endpoint table the way its users would meet it: no token 401, no Palisade role 403, and a
 * reader 403 on every change (200 on every read).
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

    private static Response call(String token, Endpoint e) {
        var request = token == null ? given() : given().auth().oauth2(token);
        if (e.body() != null) {
            request = request.contentType(ContentType.JSON).body(e.body());
        }
        return request.when().request(e.method(), e.path());
    }
}
