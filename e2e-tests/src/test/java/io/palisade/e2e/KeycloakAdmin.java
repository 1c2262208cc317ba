package io.palisade.e2e;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Keycloak's admin REST API as the platform team uses it (master realm's admin): users of the palisade realm with
 * their roles and {@code palisade_scopes}.
 */
final class KeycloakAdmin {
    static final String ADMIN_PASSWORD = System.getProperty("palisade.keycloak.admin.password", "admin-dev-password");

    private KeycloakAdmin() {
    }

    /** A user of the palisade realm with the given realm role whose scopes are the given connector ids. */
    static String createScopedUser(String role, List<String> scopes, String password) {
        String username = "scoped-" + UUID.randomUUID().toString().substring(0, 8);
        String scopeList = String.join(",", scopes.stream().map(scope -> "\"" + scope + "\"").toList());
        admin().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"enabled\":true,\"email\":\"" + username
                        + "@palisade.test\",\"emailVerified\":true,\"firstName\":\"Scoped\",\"lastName\":\"User\","
                        + "\"attributes\":{\"palisade_scopes\":[" + scopeList + "]},\"credentials\":[{\"type\":"
                        + "\"password\",\"value\":\"" + password + "\",\"temporary\":false}]}")
                .when().post("/admin/realms/palisade/users").then().statusCode(201);
        String id = admin().queryParam("username", username).queryParam("exact", true)
                .when().get("/admin/realms/palisade/users").then().statusCode(200).extract().path("[0].id");
        String realmRole = admin().when().get("/admin/realms/palisade/roles/" + role)
                .then().statusCode(200).extract().asString();
        admin().contentType(ContentType.JSON).body("[" + realmRole + "]")
                .when().post("/admin/realms/palisade/users/" + id + "/role-mappings/realm").then().statusCode(204);
        return username;
    }

    /** An access token of a palisade-realm user (password grant of the development-only palisade-cli client). */
    static String token(String username, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "palisade-cli")
                .formParam("username", username).formParam("password", password)
                .when().post(Stack.KEYCLOAK + "/realms/palisade/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static RequestSpecification admin() {
        String token = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", ADMIN_PASSWORD)
                .when().post(Stack.KEYCLOAK + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        return given().baseUri(Stack.KEYCLOAK).auth().oauth2(token);
    }
}
