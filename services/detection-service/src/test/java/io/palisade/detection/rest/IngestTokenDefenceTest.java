package io.palisade.detection.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.palisade.common.security.IngestTokens;
import io.palisade.detection.TestClusters;
import io.palisade.detection.TestClusters.Protection;
import io.palisade.detection.TestClusters.TestCluster;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Guessing ingest tokens: a source (an address) that sends {@value #MAX_ATTEMPTS} requests without a valid token
 * within {@value #WINDOW_SECONDS} s is answered 429, with {@code Retry-After} and Problem JSON, on every ingest
 * endpoint until its window ends, even with a correct token; other sources go on as before. The tests reach the
 * service from loopback, a trusted proxy by default, so each test is its own source through {@code X-Forwarded-For},
 * as behind the gateway. (That an untrusted sender's {@code X-Forwarded-For} is ignored: {@code IngestSourcesTest};
 * the window and the memory cap on a clock the test moves: {@code FailedIngestAttemptsTest}.)
 */
@QuarkusTest
@TestProfile(IngestTokenDefenceTest.LowLimit.class)
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class IngestTokenDefenceTest {
    static final int MAX_ATTEMPTS = 3;
    static final int WINDOW_SECONDS = 6;

    /** A low limit and a short window, so that blocking and freeing happen within a test. */
    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("palisade.ingest.failed-auth.max-attempts", Integer.toString(MAX_ATTEMPTS),
                    "palisade.ingest.failed-auth.window", WINDOW_SECONDS + "s");
        }
    }

    private static final AtomicInteger SOURCES = new AtomicInteger();
    private static TestCluster cluster;

    /** A source no request has come from yet (the benchmarking range 198.18.0.0/15). */
    static String newSource() {
        int n = SOURCES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    static RequestSpecification from(String source) {
        return given().header("X-Forwarded-For", source).contentType(ContentType.JSON);
    }

    static String auditEvents() {
        return TestClusters.eventList(TestClusters.event(UUID.randomUUID().toString(), "get", "pods", "web",
                "kubernetes-admin", Instant.now(), null));
    }

    static Response ingest(String source, String token) {
        RequestSpecification request = from(source);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return request.body(auditEvents()).when().post("/ingest/k8s-audit");
    }

    static String wrongToken() {
        return IngestTokens.generate();
    }

    /** Makes the source use up its attempts: each failure is an ordinary 401 (no token counts as well). */
    static void block(String source) {
        ingest(source, null).then().statusCode(401).contentType("application/problem+json");
        for (int i = 2; i <= MAX_ATTEMPTS; i++) {
            ingest(source, wrongToken()).then().statusCode(401).contentType("application/problem+json")
                    .body("detail", containsString("not valid"));
        }
    }

    /** Registers the cluster whose correct token the tests send (once; REST Assured knows the port only in tests). */
    @BeforeEach
    void registerTheCluster() {
        if (cluster != null) {
            return;
        }
        TestCluster registered = TestClusters.publish("guarded", "OnPrem", "on-prem-guarded", Protection.standard());
        // until detection knows the cluster its token is 401 too: each poll comes from a fresh source
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> ingest(newSource(), registered.token()).then().statusCode(200));
        cluster = registered;
    }

    @Test
    void afterMaxAttemptsFailuresTheSourceGets429EvenWithTheCorrectToken() {
        String source = newSource();
        block(source);

        int retryAfter = Integer.parseInt(ingest(source, cluster.token()).then()
                .statusCode(429).contentType("application/problem+json")
                .body("status", equalTo(429))
                .body("title", equalTo("Too Many Requests"))
                .body("detail", containsString("Too many failed ingest authentications from " + source))
                .body("detail", containsString("a correct token waits too"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= WINDOW_SECONDS, "Retry-After: " + retryAfter);

        ingest(source, wrongToken()).then().statusCode(429);
        ingest(source, null).then().statusCode(429);
    }

    @Test
    void everyIngestEndpointRefusesABlockedSource() {
        String source = newSource();
        block(source);
        from(source).auth().oauth2(cluster.token()).body("{\"records\":[]}").when().post("/ingest/aks")
                .then().statusCode(429).header("Retry-After", Integer::parseInt, greaterThan(0))
                .contentType("application/problem+json");
        from(source).auth().oauth2(cluster.token()).body("[]").when().post("/ingest/falco")
                .then().statusCode(429).header("Retry-After", Integer::parseInt, greaterThan(0));
        // Firehose gets its own answer shape, with the Problem fields and Retry-After
        String requestId = UUID.randomUUID().toString();
        from(source).header("X-Amz-Firehose-Access-Key", cluster.token())
                .header("X-Amz-Firehose-Request-Id", requestId)
                .body("{\"requestId\":\"" + requestId + "\",\"timestamp\":0,\"records\":[]}").when().post("/ingest/eks")
                .then().statusCode(429).header("Retry-After", Integer::parseInt, greaterThan(0))
                .body("requestId", equalTo(requestId)).body("status", equalTo(429))
                .body("errorMessage", containsString("Too many failed ingest authentications"));
    }

    @Test
    void anotherSourceIsUnaffected() {
        String attacker = newSource();
        block(attacker);
        ingest(attacker, cluster.token()).then().statusCode(429);

        String neighbour = newSource();
        ingest(neighbour, cluster.token()).then().statusCode(200).body("accepted", equalTo(1));
        ingest(neighbour, wrongToken()).then().statusCode(401);
        ingest(neighbour, cluster.token()).then().statusCode(200);
    }

    @Test
    void aSuccessfulRequestDoesNotResetTheCount() {
        String source = newSource();
        ingest(source, wrongToken()).then().statusCode(401);
        ingest(source, cluster.token()).then().statusCode(200);
        for (int i = 2; i <= MAX_ATTEMPTS; i++) {
            ingest(source, wrongToken()).then().statusCode(401);
            ingest(source, cluster.token()).then().statusCode(i < MAX_ATTEMPTS ? 200 : 429);
        }
    }

    @Test
    void theSourceIsFreeAgainWhenItsWindowEnds() {
        String source = newSource();
        long blockedAt = System.nanoTime();
        block(source);
        int retryAfter = Integer.parseInt(ingest(source, cluster.token()).then().statusCode(429)
                .extract().header("Retry-After"));

        Awaitility.await().atMost(Duration.ofSeconds(retryAfter + 5)).pollInterval(Duration.ofMillis(250))
                .until(() -> ingest(source, cluster.token()).statusCode() == 200);
        long waited = Duration.ofNanos(System.nanoTime() - blockedAt).toMillis();
        assertTrue(waited >= (WINDOW_SECONDS - 1) * 1000L, "free only when the window ended, after " + waited + " ms");

        // a new window: failures count from zero
        ingest(source, wrongToken()).then().statusCode(401);
        ingest(source, cluster.token()).then().statusCode(200);
    }
}
