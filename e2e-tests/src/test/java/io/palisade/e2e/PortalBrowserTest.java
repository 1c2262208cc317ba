package io.palisade.e2e;

import static io.palisade.e2e.Stack.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.http.ContentType;

/**
 * The portal in a real headless Chromium, signed in through Keycloak's real login page: alice (security admin) and bob
 * (security reader) on a cluster with a seeded cluster-admin-binding alert. Screenshots of every page go to
 * {@code e2e-tests/target/portal-screenshots/}.
 */
class PortalBrowserTest {
    private static final Duration WITHIN = Duration.ofSeconds(45);

    static String connectorId;
    static String clusterId;
    static String connectorName;
    static String alertId;
    static String alertName;

    @BeforeAll
    static void aClusterWithAnAlert() {
        connectorName = "Portal lab " + Instant.now().getEpochSecond();
        connectorId = as("alice").contentType(ContentType.JSON)
                .body("{\"environment\":\"OnPrem\",\"displayName\":\"" + connectorName + "\"}")
                .when().post("/api/connectors").then().statusCode(201).extract().path("id");
        var cluster = as("alice").contentType(ContentType.JSON).body("{\"name\":\"portal-lab\",\"kind\":\"OnPrem\"}")
                .when().post("/api/connectors/" + connectorId + "/clusters").then().statusCode(201).extract();
        clusterId = cluster.path("id");
        String token = cluster.path("ingestToken");
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                as("alice").contentType(ContentType.JSON).body("{\"pricingTier\":\"Standard\"}")
                        .when().put("/api/plans/" + connectorId + "/Containers").then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                WalkingSkeletonTest.ingest(token, WalkingSkeletonTest.eventList(
                        WalkingSkeletonTest.clusterAdminBinding(UUID.randomUUID().toString())))
                        .then().statusCode(200));
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> !as("bob")
                .queryParam("clusterId", clusterId).queryParam("alertType", "K8S_ClusterAdminBinding")
                .when().get("/api/alerts").then().statusCode(200).extract().<List<String>> path("value.name")
                .isEmpty());
        var alert = as("bob").queryParam("clusterId", clusterId).queryParam("alertType", "K8S_ClusterAdminBinding")
                .when().get("/api/alerts").then().extract();
        alertId = alert.path("value[0].name");
        alertName = alert.path("value[0].properties.alertDisplayName");
    }

    @Test
    void aliceSignsInSeesTheSeededAlertAndDismissesIt() throws Exception {
        try (Browser alice = Browser.signedInAs("alice")) {
            assertEquals("alice", alice.waitFor(By.cssSelector("[data-testid=user]")).getText());
            alice.waitFor(By.cssSelector("[data-testid=severity-High]"));
            alice.screenshot("01-overview");

            alice.open("/portal/alerts?clusterId=" + clusterId);
            alice.waitForText(By.cssSelector("[data-testid=alert-table]"), alertName);
            alice.screenshot("02-alerts");

            alice.open("/portal/alerts/" + alertId);
            alice.waitForText(By.cssSelector("[data-testid=detail-status]"), "Active");
            assertTrue(alice.has(By.cssSelector("[data-testid=entities]")), "the alert's entities are shown");
            assertTrue(alice.has(By.cssSelector("[data-testid=evidence]")), "the alert's evidence is shown");
            alice.screenshot("03-alert-detail");
            alice.driver.findElement(By.name("comment")).sendKeys("Break-glass binding, approved");
            alice.waitFor(By.cssSelector("[data-testid=dismiss]")).click();
            alice.waitForText(By.cssSelector("[data-testid=detail-status]"), "Dismissed");
            alice.waitForText(By.cssSelector("[data-testid=history]"), "Break-glass binding, approved");
            alice.screenshot("04-alert-dismissed");
        }
        as("bob").when().get("/api/alerts/" + alertId).then().statusCode(200)
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.stateHistory[-1].changedBy", equalTo("alice"));
    }

    @Test
    void bobSeesNoStatusControlsAndAForgedDismissIsRefused() throws Exception {
        try (Browser bob = Browser.signedInAs("bob")) {
            assertEquals("Security reader", bob.waitFor(By.cssSelector("[data-testid=role]")).getText());
            bob.open("/portal/alerts/" + alertId);
            bob.waitFor(By.cssSelector("[data-testid=read-only]"));
            for (String control : List.of("dismiss", "resolve", "activate", "in-progress", "alert-actions")) {
                assertFalse(bob.has(By.cssSelector("[data-testid=" + control + "]")), "bob sees no " + control);
            }
            bob.screenshot("05-alert-detail-reader");
            String statusBefore = as("bob").when().get("/api/alerts/" + alertId).then().extract()
                    .path("properties.status");

            // a forged request from bob's own signed-in page, with a valid CSRF token: the alert-service refuses it
            for (String action : List.of("dismiss", "resolve", "activate")) {
                assertEquals(403, bob.fetchStatus("POST", "/portal/alerts/" + alertId + "/" + action,
                        Map.of("X-CSRF-Token", bob.csrfToken())), action + " through the portal");
            }
            // and with bob's bearer token straight at the API
            as("bob").contentType(ContentType.JSON).body("{}").when().post("/api/alerts/" + alertId + "/dismiss")
                    .then().statusCode(403);
            // without the page's CSRF token the gateway refuses it before anyone looks at the role
            assertEquals(403, bob.fetchStatus("POST", "/portal/alerts/" + alertId + "/dismiss", Map.of()));
            as("bob").when().get("/api/alerts/" + alertId).then().body("properties.status", equalTo(statusBefore));

            // a reader sees plans but cannot switch them
            bob.open("/portal/environment/connectors/" + connectorId);
            assertFalse(bob.waitFor(By.cssSelector("[data-testid=plan-toggle-Containers]")).isEnabled(),
                    "the plan switch is read-only for a reader");

            // signing out ends the Keycloak session too: the portal asks for the password again
            bob.driver.findElement(By.linkText("Sign out")).click();
            new WebDriverWait(bob.driver, Browser.WAIT).until(ExpectedConditions.urlContains("/signed-out"));
            bob.open("/portal");
            bob.waitFor(By.id("password"));
        }
    }

    @Test
    void aliceTogglesAPlanAndItPersistsAcrossReload() throws Exception {
        try (Browser alice = Browser.signedInAs("alice")) {
            alice.open("/portal/environment");
            alice.waitForText(By.tagName("main"), connectorName);
            alice.screenshot("06-environment");

            alice.open("/portal/environment/connectors/" + connectorId);
            By servers = By.cssSelector("[data-testid=plan-toggle-Servers]");
            assertFalse(alice.waitFor(servers).isSelected(), "the Servers plan starts off");
            alice.driver.findElement(servers).click();
            new WebDriverWait(alice.driver, Browser.WAIT).until(d -> as("bob").when()
                    .get("/api/plans/" + connectorId + "/Servers").then().extract().path("pricingTier")
                    .equals("Standard"));
            alice.driver.navigate().refresh();
            assertTrue(alice.waitFor(servers).isSelected(), "the Servers plan is still on after a reload");
            alice.screenshot("07-connector-plans");

            alice.driver.findElement(servers).click();
            new WebDriverWait(alice.driver, Browser.WAIT).until(d -> as("bob").when()
                    .get("/api/plans/" + connectorId + "/Servers").then().extract().path("pricingTier")
                    .equals("Free"));
            alice.driver.navigate().refresh();
            assertFalse(alice.waitFor(servers).isSelected(), "switched off again, and it stays off");
        }
    }

    @Test
    void newAlertsAppearLiveWithoutAReload() throws Exception {
        try (Browser alice = Browser.signedInAs("alice")) {
            alice.open("/portal/alerts?clusterId=" + clusterId);
            alice.waitForText(By.cssSelector("[data-testid=alert-table]"), alertName);
            new WebDriverWait(alice.driver, Browser.WAIT).until(ExpectedConditions.attributeContains(
                    By.cssSelector("[data-live-indicator]"), "class", "on"));
            alice.script("window.palisadeNotReloaded = true;");

            as("alice").contentType(ContentType.JSON)
                    .body("{\"clusterId\":\"" + clusterId + "\",\"connectorId\":\"" + connectorId
                            + "\",\"properties\":{\"kind\":\"Bundles\",\"bundles\":[\"KubernetesService\"]}}")
                    .when().post("/api/alerts/simulate").then().statusCode(202);

            alice.waitForText(By.cssSelector("[data-testid=alert-table]"), "[Simulated]");
            assertEquals(Boolean.TRUE, alice.script("return window.palisadeNotReloaded === true;"),
                    "the new alert arrived without a page reload");
            alice.screenshot("08-alerts-live");
        }
    }

    @Test
    void everyPageRendersForAliceAndTheNarrowWindowHasAMenu() throws Exception {
        try (Browser alice = Browser.signedInAs("alice")) {
            for (var page : List.of(Map.entry("/portal/recommendations", "09-recommendations"),
                    Map.entry("/portal/rules", "10-rules"),
                    Map.entry("/portal/rules?tab=custom", "10-rules-custom"),
                    Map.entry("/portal/rules?tab=suppression", "10-rules-suppression"),
                    Map.entry("/portal/environment/connectors/new", "12-add-connector"),
                    Map.entry("/portal/environment/connectors/new?environment=AwsAccount", "12-add-connector-aws"))) {
                alice.open(page.getKey());
                alice.waitFor(By.tagName("h1"));
                assertFalse(alice.has(By.cssSelector(".error")), page.getKey() + " shows an error: "
                        + alice.driver.findElement(By.tagName("main")).getText());
                alice.screenshot(page.getValue());
            }
            alice.resize(420, 900);
            alice.open("/portal");
            assertFalse(alice.driver.findElement(By.id("nav")).isDisplayed(), "the menu folds away when narrow");
            alice.waitFor(By.cssSelector("[data-nav-toggle]")).click();
            alice.waitFor(By.linkText("Alerts"));
            alice.screenshot("11-overview-narrow");
        }
    }
}
