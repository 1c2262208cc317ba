package io.palisade.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Role escalation, bypassing the gateway: every mutating operation of every service's own OpenAPI document is called
 * directly on the service's port with bob's real reader token (403), carol's token without a Palisade role (403) and
 * no token at all (401). The operations come from the documents, so an endpoint added later is covered without
 * touching this test.
 */
class RoleEscalationTest {
    private static final Set<String> MUTATING = Set.of("post", "put", "patch", "delete");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    /** An operation of a service, its path parameters filled with plausible values. */
    record Operation(String service, String method, String path) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + service + path;
        }
    }

    static List<Operation> mutatingOperations() {
        List<Operation> operations = new ArrayList<>();
        for (String service : Stack.SERVICES) {
            if (service.equals(Stack.GATEWAY)) {
                continue; // the gateway forwards /api/** to these same services; its portal is session-based
            }
            JsonPath openApi = given().baseUri(service).queryParam("format", "json").when().get("/q/openapi")
                    .then().statusCode(200).extract().jsonPath();
            Map<String, Map<String, Object>> paths = openApi.getMap("paths");
            paths.forEach((path, methods) -> methods.keySet().stream().filter(MUTATING::contains)
                    .forEach(method -> operations.add(new Operation(service, method, filled(path)))));
        }
        return operations;
    }

    static String filled(String path) {
        Matcher m = PATH_PARAMETER.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = switch (name) {
                case "name" -> path.contains("/plans/") ? "Containers" : "e2e-list";
                case "action" -> "dismiss";
                default -> UUID.randomUUID().toString();
            };
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        return m.appendTail(filled).toString();
    }

    @Test
    void aReaderAndAUserWithoutRoleAreRefusedEveryChangeOfEveryServiceCalledDirectly() {
        List<Operation> operations = mutatingOperations();
        assertTrue(operations.size() >= 30, "too few mutating operations found in the OpenAPI documents: " + operations);
        List<String> wrong = new ArrayList<>();
        for (Operation op : operations) {
            boolean ingest = op.path().startsWith("/ingest/");
            expect(wrong, op, null, 401);
            // ingest takes a cluster's ingest token, never a user's: a user token is an unknown ingest token
            expect(wrong, op, Stack.token("bob"), ingest ? 401 : 403);
            expect(wrong, op, Stack.token("carol"), ingest ? 401 : 403);
        }
        System.out.printf("role escalation: %d mutating operations x 3 callers, %d refused as expected%n",
                operations.size(), operations.size() * 3 - wrong.size());
        assertEquals(List.of(), wrong);
    }

    private static void expect(List<String> wrong, Operation op, String token, int status) {
        var request = token == null ? given() : given().auth().oauth2(token);
        int actual = request.baseUri(op.service()).contentType(ContentType.JSON).body("{}")
                .when().request(op.method().toUpperCase(), op.path()).then().extract().statusCode();
        if (actual != status) {
            wrong.add(op + " as " + (token == null ? "anonymous" : "token") + ": " + actual + ", expected " + status);
        }
    }
}
