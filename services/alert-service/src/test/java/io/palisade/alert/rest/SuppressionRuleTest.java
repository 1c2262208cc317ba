package io.palisade.alert.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.palisade.common.events.AlertEvent;
import io.palisade.common.messaging.EventCodec;
import io.palisade.common.messaging.Topics;
import io.palisade.testsupport.EndpointSecurity;
import io.palisade.testsupport.EndpointSecurity.Endpoint;
import io.palisade.testsupport.KafkaTestClient;
import io.palisade.testsupport.PalisadeInfrastructure;
import io.palisade.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Suppression rules end to end: alerts arrive on {@code palisade.alerts} as detection publishes them; rules are
 * managed through the API. Every rule here belongs to a connector of its own test, so no rule dismisses another
 * test's alerts.
 */
@QuarkusTest
@QuarkusTestResource(PalisadeInfrastructure.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class SuppressionRuleTest {
    static final String PATH = "/api/suppression-rules";

    /** What an alert is about, the way detection fills entities and extendedProperties. */
    record Facts(String alertType, UUID connector, UUID cluster, String namespace, String user, String image,
            boolean sensor) {
        Facts with(String namespace, String user, String image) {
            return new Facts(alertType, connector, cluster, namespace, user, image, sensor);
        }
    }

    static AlertEvent alert(String id, Facts f, int count, Instant end) {
        List<Map<String, Object>> entities = new ArrayList<>();
        entities.add(Map.of("type", "K8s-cluster", "clusterId", f.cluster().toString(), "name", "prod-eu"));
        Map<String, String> properties = new LinkedHashMap<>();
        if (f.sensor()) {
            // a node alert: pod, container (with its image) and process account as the sensor reports them
            entities.add(Map.of("type", "K8s-pod", "name", "web-1", "namespace", f.namespace()));
            entities.add(Map.of("type", "container", "containerId", "c0ffee", "image", f.image()));
            entities.add(Map.of("type", "account", "name", f.user()));
            properties.put("k8s.ns.name", f.namespace());
            properties.put("container.image.repository", f.image());
        } else {
            // a control-plane alert: the requesting user and the object, images among the properties
            entities.add(Map.of("type", "account", "name", f.user()));
            entities.add(Map.of("type", "K8s-pods", "name", "web-1", "namespace", f.namespace()));
            properties.put("namespace", f.namespace());
            properties.put("username", f.user());
            properties.put("images", "docker.io/library/busybox:1.36, " + f.image());
        }
        properties.put("count", Integer.toString(count));
        return new AlertEvent(AlertEvent.TYPE, AlertEvent.VERSION, id, f.alertType(), "Test alert " + f.alertType(),
                "A test alert", "High", "PrivilegeEscalation", List.of("T1611"), "prod-eu", entities,
                List.of("Review it"), end.minusSeconds(1), end, Instant.now(), List.of(), properties,
                EventCodec.mapper().createObjectNode().put("type", "auditEvents").put("count", count),
                f.cluster() + "|" + f.alertType(), "Containers", f.connector(), f.cluster(), "test-rule");
    }

    /** Publishes a new alert as detection would and returns its id once alert-service has stored it. */
    static String published(Facts facts) {
        String id = UUID.randomUUID().toString();
        KafkaTestClient.send(Topics.ALERTS, id, EventCodec.encode(alert(id, facts, 1, Instant.now())));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(Tokens.admin())
                .when().get("/api/alerts/" + id).then().statusCode(200));
        return id;
    }

    static String status(String alertId) {
        return given().auth().oauth2(Tokens.admin()).when().get("/api/alerts/" + alertId).then().statusCode(200)
                .extract().path("properties.status");
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static String rule(String name, UUID connector, String alertType, String state, String conditions) {
        return "{\"name\":\"" + name + "\"," + (connector == null ? "" : "\"connectorId\":\"" + connector + "\",")
                + "\"alertType\":\"" + alertType + "\",\"state\":\"" + state + "\",\"reason\":\"BenignPositive\","
                + "\"comment\":\"CI deployer\",\"suppressionAlertsScope\":{\"allOf\":[" + conditions + "]}}";
    }

    static String created(String token, String body) {
        return as(token).body(body).when().post(PATH).then().statusCode(201)
                .header("Location", containsString(PATH + "/")).extract().path("id");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void readersViewAndOnlyAdminsChangeOrSimulate() {
        UUID connector = UUID.randomUUID();
        String body = rule(unique("rbac"), connector, "K8S_Rbac", "Disabled", "{\"field\":\"namespace\",\"in\":[\"ci\"]}");
        String id = created(Tokens.admin(), body);
        EndpointSecurity.assertEveryEndpointChecksTheCaller(List.of(
                Endpoint.read(PATH),
                Endpoint.read(PATH + "/" + id),
                Endpoint.change("POST", PATH, rule(unique("rbac"), connector, "K8S_Rbac", "Disabled", "")),
                Endpoint.change("PUT", PATH + "/" + id, body),
                Endpoint.change("DELETE", PATH + "/" + id, null),
                Endpoint.change("POST", PATH + "/" + id + "/simulate", null),
                Endpoint.change("POST", PATH + "/simulate", body)));

        // and the admin succeeds on each
        as(Tokens.admin()).when().get(PATH + "/" + id).then().statusCode(200).header("ETag", equalTo("\"0\""))
                .body("name", startsWith("rbac-")).body("state", equalTo("Disabled"))
                .body("reason", equalTo("BenignPositive")).body("createdBy", equalTo("alice"))
                .body("suppressionAlertsScope.allOf[0].field", equalTo("namespace"))
                .body("suppressionAlertsScope.allOf[0].in", equalTo(List.of("ci")));
        as(Tokens.admin()).when().get(PATH).then().statusCode(200).body("value.id", hasItem(id));
        as(Tokens.admin()).body(body.replace("CI deployer", "CI deployer, reviewed")).header("If-Match", "\"0\"")
                .when().put(PATH + "/" + id).then().statusCode(200).header("ETag", equalTo("\"1\""))
                .body("comment", equalTo("CI deployer, reviewed"));
        as(Tokens.admin()).body(body).header("If-Match", "\"0\"").when().put(PATH + "/" + id)
                .then().statusCode(412);
        as(Tokens.admin()).when().post(PATH + "/" + id + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(0));
        as(Tokens.admin()).body(body).when().post(PATH + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(0));
        as(Tokens.admin()).when().delete(PATH + "/" + id).then().statusCode(204);
        as(Tokens.admin()).when().get(PATH + "/" + id).then().statusCode(404);
        as(Tokens.admin()).when().delete(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void badInputIsA400NamingTheField() {
        UUID c = UUID.randomUUID();
        String ns = "{\"field\":\"namespace\",\"in\":[\"ci\"]}";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("name", rule("", c, "K8S_X", "Enabled", ns));
        cases.put("name ", rule("no spaces!", c, "K8S_X", "Enabled", ns));
        cases.put("alertType", rule("n1", c, "", "Enabled", ns));
        cases.put("alertType ", rule("n1", c, "K8S X", "Enabled", ns));
        cases.put("alertType  ", rule("n1", c, "*", "Enabled", ""));
        cases.put("reason", rule("n1", c, "K8S_X", "Enabled", ns).replace("\"reason\":\"BenignPositive\",", ""));
        cases.put("reason ", rule("n1", c, "K8S_X", "Enabled", ns).replace("BenignPositive", "Boring"));
        cases.put("state", rule("n1", c, "K8S_X", "Expired", ns));
        cases.put("state ", rule("n1", c, "K8S_X", "Maybe", ns));
        cases.put("connectorId", rule("n1", null, "K8S_X", "Enabled", ns).replace("{\"name\"",
                "{\"connectorId\":\"not-a-uuid\",\"name\""));
        cases.put("comment", rule("n1", c, "K8S_X", "Enabled", ns).replace("CI deployer", "x".repeat(1001)));
        cases.put("expirationDateUtc", rule("n1", c, "K8S_X", "Enabled", ns).replace("{\"name\"",
                "{\"expirationDateUtc\":\"2020-01-01T00:00:00Z\",\"name\""));
        cases.put("expirationDateUtc ", rule("n1", c, "K8S_X", "Enabled", ns).replace("{\"name\"",
                "{\"expirationDateUtc\":\"tomorrow\",\"name\""));
        cases.put("expirationDateUtc  ", rule("n1", c, "K8S_X", "Enabled", ns).replace("{\"name\"",
                "{\"expirationDateUtc\":\"+300000-01-01T00:00:00Z\",\"name\""));
        cases.put("comment ", rule("n1", c, "K8S_X", "Enabled", ns).replace("CI deployer", "CI\\u0000deployer"));
        cases.put("suppressionAlertsScope.allOf[0].in   ",
                rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"user\",\"in\":[\"bo\\u0000b\"]}"));
        cases.put("suppresionAlertsScope", rule("n1", c, "K8S_X", "Enabled", ns)
                .replace("suppressionAlertsScope", "suppresionAlertsScope"));
        cases.put("suppressionAlertsScope.allOf[0].field",
                rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"podColour\",\"in\":[\"red\"]}"));
        cases.put("suppressionAlertsScope.allOf[1]", rule("n1", c, "K8S_X", "Enabled",
                ns + ",{\"field\":\"image\",\"in\":[\"a\"],\"contains\":\"b\"}"));
        cases.put("suppressionAlertsScope.allOf[0].in",
                rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"clusterId\",\"in\":[\"prod-eu\"]}"));
        cases.put("suppressionAlertsScope.allOf[0].in ",
                rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"user\",\"in\":[]}"));
        cases.put("suppressionAlertsScope.allOf[0].in  ",
                rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"user\",\"in\":\"bob\"}"));
        cases.forEach((field, body) -> as(Tokens.admin()).body(body).when().post(PATH).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo(field.trim())));
        as(Tokens.admin()).when().post(PATH).then().statusCode(400);
        // the same checks guard updates and simulations
        String id = created(Tokens.admin(), rule(unique("valid"), c, "K8S_X", "Disabled", ns));
        as(Tokens.admin()).body(rule("n1", c, "K8S_X", "Enabled", "{\"field\":\"pod\",\"in\":[\"x\"]}"))
                .when().put(PATH + "/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("suppressionAlertsScope.allOf[0].field"));
        as(Tokens.admin()).body("{\"alertType\":\"K8S_X\",\"suppressionAlertsScope\":{\"allOf\":[{\"field\":\"user\"}]}}")
                .when().post(PATH + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("suppressionAlertsScope.allOf[0]"));
        // a name is unique within a connector, whatever its case
        String name = unique("dup");
        created(Tokens.admin(), rule(name, c, "K8S_X", "Disabled", ns));
        as(Tokens.admin()).body(rule(name.toUpperCase(), c, "K8S_Y", "Disabled", ns)).when().post(PATH)
                .then().statusCode(409);
        created(Tokens.admin(), rule(name, UUID.randomUUID(), "K8S_X", "Disabled", ns));
    }

    @Test
    void simulateCountsExactlyTheOpenAlertsTheRuleWouldDismiss() {
        UUID connector = UUID.randomUUID();
        UUID clusterA = UUID.randomUUID();
        UUID clusterB = UUID.randomUUID();
        Facts match = new Facts("K8S_PrivilegedContainer", connector, clusterA, "ci", "deployer",
                "registry.example/app:1.2", false);
        String m1 = published(match);
        String m2 = published(new Facts("K8S_PrivilegedContainer", connector, clusterA, "ci", "deployer",
                "registry.example/app@sha256:0123", true));
        String m3 = published(match.with("ci", "deployer", "registry.example/app"));
        published(new Facts("K8S_SensitiveMount", connector, clusterA, "ci", "deployer", "registry.example/app:1.2",
                false));
        published(match.with("prod", "deployer", "registry.example/app:1.2"));
        published(match.with("ci", "mallory", "registry.example/app:1.2"));
        published(match.with("ci", "deployer", "registry.example/app-debug:1.2"));
        published(new Facts("K8S_PrivilegedContainer", connector, clusterB, "ci", "deployer",
                "registry.example/app:1.2", false));
        String resolved = published(match);
        as(Tokens.admin()).when().post("/api/alerts/" + resolved + "/resolve").then().statusCode(204);
        String inProgress = published(match);
        as(Tokens.admin()).when().post("/api/alerts/" + inProgress + "/inProgress").then().statusCode(204);

        String conditions = "{\"field\":\"clusterId\",\"in\":[\"" + clusterA + "\"]},"
                + "{\"field\":\"namespace\",\"in\":[\"ci\",\"staging\"]},"
                + "{\"field\":\"user\",\"equals\":\"deployer\"},"
                + "{\"field\":\"image\",\"in\":[\"registry.example/app\"]}";
        String draft = "{\"alertType\":\"K8S_PrivilegedContainer\",\"suppressionAlertsScope\":{\"allOf\":["
                + conditions + "]}}";
        as(Tokens.admin()).body(draft).when().post(PATH + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(4))
                .body("sample", containsInAnyOrder(m1, m2, m3, inProgress));

        // saved (disabled, so it dismisses nothing) and simulated again: the same answer, and nothing changed
        String id = created(Tokens.admin(), rule(unique("sim"), connector, "K8S_PrivilegedContainer", "Disabled",
                conditions));
        as(Tokens.admin()).when().post(PATH + "/" + id + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(4));
        for (String alert : List.of(m1, m2, m3)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "Active".equals(status(alert)));
        }
        // a prefix covers every alert type that starts with it; Defender's entity paths are accepted too: every open
        // alert of deployer here but the K8S_SensitiveMount one (m1, m2, m3, prod, app-debug, cluster B, inProgress)
        as(Tokens.admin()).body("{\"alertType\":\"K8S_Priv*\",\"connectorId\":\"" + connector + "\","
                + "\"suppressionAlertsScope\":{\"allOf\":[{\"field\":\"Entities.Account.Name\",\"in\":[\"deployer\"]}]}}")
                .when().post(PATH + "/simulate").then().statusCode(200).body("matchingAlerts", equalTo(7));
        as(Tokens.admin()).body("{\"alertType\":\"K8S_*\",\"connectorId\":\"" + connector + "\","
                + "\"suppressionAlertsScope\":{\"allOf\":[{\"field\":\"image\",\"contains\":\"APP-DEBUG\"}]}}")
                .when().post(PATH + "/simulate").then().statusCode(200).body("matchingAlerts", equalTo(1));
    }

    @Test
    void aNewMatchingAlertIsDismissedOnArrivalWithTheRuleAsActor() {
        UUID connector = UUID.randomUUID();
        Facts debug = new Facts("K8S_ExecInPod", connector, UUID.randomUUID(), "debug", "oncall", "alpine:3", false);
        // an alert already there when the rule is made is left alone, even when more events correlate into it
        String before = published(debug);
        String name = unique("debug-sessions");
        String id = created(Tokens.admin(), rule(name, connector, "K8S_ExecInPod", "Enabled",
                "{\"field\":\"namespace\",\"in\":[\"debug\"]}"));

        String suppressed = published(debug);
        String other = published(debug.with("payments", "oncall", "alpine:3"));
        as(Tokens.reader()).when().get("/api/alerts/" + suppressed).then().statusCode(200)
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.stateHistory.size()", equalTo(1))
                .body("properties.stateHistory[0].from", equalTo("Active"))
                .body("properties.stateHistory[0].to", equalTo("Dismissed"))
                .body("properties.stateHistory[0].changedBy", equalTo("suppression-rule:" + id))
                .body("properties.stateHistory[0].comment", containsString(name))
                .body("properties.stateHistory[0].comment", containsString("BenignPositive"));
        org.junit.jupiter.api.Assertions.assertEquals("Active", status(other));

        Instant later = Instant.now().truncatedTo(ChronoUnit.MICROS);
        KafkaTestClient.send(Topics.ALERTS, before, EventCodec.encode(alert(before, debug, 2, later)));
        KafkaTestClient.send(Topics.ALERTS, suppressed, EventCodec.encode(alert(suppressed, debug, 2, later)));
        for (String alert : List.of(before, suppressed)) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(Tokens.reader())
                    .when().get("/api/alerts/" + alert).then().body("properties.extendedProperties.count", equalTo("2")));
        }
        as(Tokens.reader()).when().get("/api/alerts/" + before).then()
                .body("properties.status", equalTo("Active")).body("properties.stateHistory.size()", equalTo(0));
        as(Tokens.reader()).when().get("/api/alerts/" + suppressed).then()
                .body("properties.status", equalTo("Dismissed")).body("properties.stateHistory.size()", equalTo(1));

        // deleting the rule changes no alert it dismissed; alerts that arrive afterwards stay Active
        as(Tokens.admin()).when().delete(PATH + "/" + id).then().statusCode(204);
        as(Tokens.reader()).when().get("/api/alerts/" + suppressed).then()
                .body("properties.status", equalTo("Dismissed"))
                .body("properties.stateHistory[0].changedBy", equalTo("suppression-rule:" + id));
        org.junit.jupiter.api.Assertions.assertEquals("Active", status(published(debug)));
    }

    @Test
    void aDisabledOrExpiredRuleDismissesNothing() throws InterruptedException {
        UUID connector = UUID.randomUUID();
        Facts facts = new Facts("K8S_NodeShell", connector, UUID.randomUUID(), "ops", "root", "busybox:1", true);
        String conditions = "{\"field\":\"user\",\"in\":[\"root\"]}";
        String disabled = created(Tokens.admin(), rule(unique("off"), connector, "K8S_NodeShell", "Disabled",
                conditions));
        org.junit.jupiter.api.Assertions.assertEquals("Active", status(published(facts)));

        Instant expiry = Instant.now().plusSeconds(3);
        String expiring = created(Tokens.admin(), rule(unique("soon"), connector, "K8S_NodeShell", "Enabled",
                conditions).replace("{\"name\"", "{\"expirationDateUtc\":\"" + expiry + "\",\"name\""));
        as(Tokens.reader()).when().get(PATH + "/" + expiring).then().body("state", equalTo("Enabled"));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 200);
        as(Tokens.reader()).when().get(PATH + "/" + expiring).then().body("state", equalTo("Expired"));
        org.junit.jupiter.api.Assertions.assertEquals("Active", status(published(facts)));

        // turned on, the disabled rule does dismiss
        as(Tokens.admin()).body(rule("on-" + disabled.substring(0, 8), connector, "K8S_NodeShell", "Enabled",
                conditions)).when().put(PATH + "/" + disabled).then().statusCode(200).body("state", equalTo("Enabled"));
        org.junit.jupiter.api.Assertions.assertEquals("Dismissed", status(published(facts)));
    }

    @Test
    void aScopedAdminSeesAndTouchesOnlyTheRulesAndAlertsOfTheirConnectors() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        String scoped = Tokens.forUser("dave", Set.of("security-admin", "security-reader"), List.of(mine.toString()));
        String type = "K8S_ScopeTest" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        String ns = "{\"field\":\"namespace\",\"in\":[\"team\"]}";
        published(new Facts(type, mine, UUID.randomUUID(), "team", "dev", "app:1", false));
        published(new Facts(type, theirs, UUID.randomUUID(), "team", "dev", "app:1", false));

        String own = created(scoped, rule(unique("own"), mine, type, "Disabled", ns));
        String other = created(Tokens.admin(), rule(unique("other"), theirs, type, "Disabled", ns));
        String everyConnector = created(Tokens.admin(), rule(unique("all"), null, type, "Disabled", ns));

        as(scoped).when().get(PATH + "?alertType=" + type).then().statusCode(200)
                .body("value.id", equalTo(List.of(own)));
        as(Tokens.admin()).when().get(PATH + "?alertType=" + type).then().statusCode(200)
                .body("value.id", equalTo(List.of(own, other, everyConnector)));
        for (String hidden : List.of(other, everyConnector)) {
            as(scoped).when().get(PATH + "/" + hidden).then().statusCode(404);
            as(scoped).body(rule(unique("x"), mine, type, "Disabled", ns)).when().put(PATH + "/" + hidden)
                    .then().statusCode(404);
            as(scoped).when().post(PATH + "/" + hidden + "/simulate").then().statusCode(404);
            as(scoped).when().delete(PATH + "/" + hidden).then().statusCode(404);
        }
        as(Tokens.admin()).when().get(PATH + "/" + other).then().statusCode(200);
        // a scoped admin names one of their connectors, and cannot move a rule to another's
        as(scoped).body(rule(unique("nowhere"), null, type, "Disabled", ns)).when().post(PATH).then()
                .statusCode(400).body("errors[0].field", equalTo("connectorId"));
        as(scoped).body(rule(unique("theirs"), theirs, type, "Disabled", ns)).when().post(PATH).then()
                .statusCode(403);
        as(scoped).body(rule(unique("moved"), theirs, type, "Disabled", ns)).when().put(PATH + "/" + own).then()
                .statusCode(403);
        // simulations count only the caller's alerts
        String draft = "{\"alertType\":\"" + type + "\",\"suppressionAlertsScope\":{\"allOf\":[" + ns + "]}}";
        as(scoped).body(draft).when().post(PATH + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(1));
        as(Tokens.admin()).body(draft).when().post(PATH + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(2));
        as(Tokens.admin()).when().post(PATH + "/" + everyConnector + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(2));
        as(scoped).when().post(PATH + "/" + own + "/simulate").then().statusCode(200)
                .body("matchingAlerts", equalTo(1));
        as(scoped).when().delete(PATH + "/" + own).then().statusCode(204);
        as(Tokens.admin()).when().get(PATH + "?alertType=" + type).then()
                .body("value.id", not(hasItem(own)));
    }
}
