package io.palisade.plan.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * Admins change different plans of one connector at the same moment, through different replicas: each change has a
 * transaction of its own, as it would on another replica.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class ConcurrentPlanChangesTest {
    private static final List<String> PLANS = List.of("Containers", "Servers");

    @Test
    void theLastPublishedStateOfAConnectorHoldsEveryConcurrentChange() throws Exception {
        String scope = PlanResourceTest.knownConnector();
        ExecutorService admins = Executors.newFixedThreadPool(PLANS.size());
        try {
            for (int round = 0; round < 6; round++) {
                String tier = round % 2 == 0 ? "Standard" : "Free";
                CyclicBarrier together = new CyclicBarrier(PLANS.size());
                List<Future<Integer>> changes = PLANS.stream().map(plan -> admins.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                            .body("{\"pricingTier\":\"" + tier + "\"}")
                            .when().put("/api/plans/" + scope + "/" + plan).then().extract().statusCode();
                })).toList();
                for (Future<Integer> change : changes) {
                    assertEquals(200, change.get(30, TimeUnit.SECONDS));
                }

                JsonNode state = lastPublishedState(scope);
                for (String plan : PLANS) {
                    assertEquals(tier, tierOf(state, plan), "round " + round + ", " + plan + " in " + state);
                }
            }
        } finally {
            admins.shutdownNow();
        }
    }

    static JsonNode lastPublishedState(String scope) throws Exception {
        var records = KafkaTestClient.readToEnd(Topics.PLANS).stream().filter(r -> scope.equals(r.key())).toList();
        return EventCodec.mapper().readTree(records.get(records.size() - 1).value());
    }

    static String tierOf(JsonNode state, String plan) {
        for (JsonNode entry : state.path("plans")) {
            if (plan.equals(entry.path("name").asText())) {
                return entry.path("pricingTier").asText();
            }
        }
        return "Free"; // a plan never enabled has no entry
    }
}
