package io.palisade.e2e;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.specification.RequestSpecification;

/** The running stack under test: the gateway, Keycloak's real tokens for the dev users, the services' own ports. */
final class Stack {
    static final String GATEWAY = System.getProperty("palisade.gateway.url", "http://127.0.0.1:8080");
    static final String KEYCLOAK = System.getProperty("palisade.keycloak.url", "http://127.0.0.1:8180");
    static final List<String> SERVICES = List.of(System.getProperty("palisade.service.urls",
            "http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083,http://127.0.0.1:8084,http://127.0.0.1:8080")
            .split(","));
    private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-dev-password", "bob",
            "bob-dev-password", "carol", "carol-dev-password");
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private Stack() {
    }

    /** A real access token from Keycloak (password grant of the development-only palisade-cli client). */
    static String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> given()
                .formParam("grant_type", "password")
                .formParam("client_id", "palisade-cli")
                .formParam("username", u)
                .formParam("password", PASSWORDS.get(u))
                .when().post(KEYCLOAK + "/realms/palisade/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token"));
    }

    static String password(String user) {
        return PASSWORDS.get(user);
    }

    static RequestSpecification as(String user) {
        return given().baseUri(GATEWAY).auth().oauth2(token(user));
    }

    static RequestSpecification anonymous() {
        return given().baseUri(GATEWAY);
    }

    /** Waits; an interruption ends the test. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
