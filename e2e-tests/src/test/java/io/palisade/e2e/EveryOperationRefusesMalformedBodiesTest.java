package io.palisade.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The fuzz test mutates realistic bodies of the main operations; this sweep sends the same handful of broken bodies to
 * every operation that takes one, in every service's own OpenAPI document, as an administrator on the service's port
 * (so the body, not the role, is what is judged). No answer may be a 5xx, and every 4xx must be a Problem that says
 * what is wrong. The operations come from the documents: one added later is swept without touching this test.
 */
class EveryOperationRefusesMalformedBodiesTest {
    private static final Set<String> WITH_BODY = Set.of("post", "put", "patch");
    private static final RestAssuredConfig RAW = RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
            .appendDefaultContentCharsetToContentTypeIfUndefined(false)
            .encodeContentTypeAs("text/xml", io.restassured.http.ContentType.TEXT));

    /** Broken bodies, each with the Content-Type it is sent with. */
    static Map<String, Body> brokenBodies() {
        Map<String, Body> bodies = new LinkedHashMap<>();
        bodies.put("truncated JSON", Body.json("{\"displayName\":"));
        bodies.put("empty body", Body.json(""));
        bodies.put("JSON null", Body.json("null"));
        bodies.put("an array where an object belongs", Body.json("[]"));
        bodies.put("a number where an object belongs", Body.json("42"));
        bodies.put("a string where an object belongs", Body.json("\"x\""));
        bodies.put("10,000 levels of nesting", Body.json("[".repeat(10_000) + "]".repeat(10_000)));
        bodies.put("a field given twice", Body.json("{\"name\":\"a\",\"name\":\"b\"}"));
        bodies.put("NUL in a string", Body.json("{\"name\":\"a\\u0000b\",\"displayName\":\"a\\u0000b\"}"));
        bodies.put("invalid UTF-8 in a string", new Body("application/json",
                concat("{\"name\":\"".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28},
                        "\"}".getBytes(StandardCharsets.US_ASCII))));
        bodies.put("a Content-Type the operation does not take", new Body("text/xml",
                "<connector/>".getBytes(StandardCharsets.US_ASCII)));
        bodies.put("a Content-Type that is no media type", Body.json("{}").as("application/json, text/plain"));
        return bodies;
    }

    record Body(String contentType, byte[] bytes) {
        static Body json(String text) {
            return new Body("application/json", text.getBytes(StandardCharsets.UTF_8));
        }

        Body as(String otherContentType) {
            return new Body(otherContentType, bytes);
        }
    }

    static List<RoleEscalationTest.Operation> operationsTakingABody() {
        List<RoleEscalationTest.Operation> operations = new ArrayList<>();
        for (String service : Stack.SERVICES) {
            if (service.equals(Stack.GATEWAY)) {
                continue; // it forwards /api/** to these same services
            }
            JsonPath openApi = given().baseUri(service).queryParam("format", "json").when().get("/q/openapi")
                    .then().statusCode(200).extract().jsonPath();
            Map<String, Map<String, Object>> paths = openApi.getMap("paths");
            paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
                if (WITH_BODY.contains(method) && operation instanceof Map<?, ?> o && o.containsKey("requestBody")
                        && !path.startsWith("/ingest/")) { // ingest takes cluster tokens: IngestAndApiFuzzTest
                    operations.add(new RoleEscalationTest.Operation(service, method, RoleEscalationTest.filled(path)));
                }
            }));
        }
        return operations;
    }

    @Test
    void everyOperationTakingABodyExplainsWhatIsWrongWithABrokenOneAndNeverAnswers5xx() {
        List<RoleEscalationTest.Operation> operations = operationsTakingABody();
        assertTrue(operations.size() >= 15, "too few operations with a body in the OpenAPI documents: " + operations);
        String admin = Stack.token("alice");
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (RoleEscalationTest.Operation op : operations) {
            for (Map.Entry<String, Body> broken : brokenBodies().entrySet()) {
                cases++;
                Response answer = given().config(RAW).baseUri(op.service()).auth().oauth2(admin)
                        .contentType(broken.getValue().contentType()).body(broken.getValue().bytes())
                        .when().request(op.method().toUpperCase(), op.path());
                String problem = judge(answer);
                if (problem != null) {
                    wrong.add(op + " with " + broken.getKey() + ": " + problem);
                }
            }
        }
        System.out.printf("malformed bodies: %d operations x %d broken bodies = %d cases, %d answered as expected%n",
                operations.size(), brokenBodies().size(), cases, cases - wrong.size());
        assertEquals(List.of(), wrong);
    }

    /** Null when the answer is acceptable: below 500, and a 4xx is a Problem with a detail. */
    private static String judge(Response answer) {
        int status = answer.statusCode();
        if (status >= 500) {
            return status + " " + abbreviated(answer.asString());
        }
        if (status >= 400) {
            String type = String.valueOf(answer.contentType());
            if (!type.startsWith("application/problem+json")) {
                return status + " without Problem JSON (Content-Type " + type + ")";
            }
            String detail = answer.jsonPath().getString("detail");
            if (detail == null || detail.isBlank()) {
                return status + " Problem without a detail: " + abbreviated(answer.asString());
            }
        }
        return null;
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
