package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;

/** The shipped K8S_ClusterAdminBinding rule against Falco's fixtures: those that must fire and those that must not. */
class ClusterAdminBindingRuleTest {
    static final DetectionEngine ENGINE = shippedCatalogue();

    static DetectionEngine shippedCatalogue() {
        try (InputStream in = ClusterAdminBindingRuleTest.class.getResourceAsStream("/rules/control-plane.yaml")) {
            return new DetectionEngine(RuleLoader.load(in, "control-plane.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode fixture(String name) {
        try (InputStream in = ClusterAdminBindingRuleTest.class.getResourceAsStream("/falco-fixtures/" + name)) {
            return EventCodec.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElseThrow());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> firedAlertTypes(JsonNode event) {
        return ENGINE.evaluate(event).stream().map(DetectionRule::alertType).toList();
    }

    @Test
    void firesOnABindingToClusterAdmin() {
        assertEquals(List.of("K8S_ClusterAdminBinding"), firedAlertTypes(fixture("attach_cluster_admin_role.json")));
    }

    @Test
    void staysQuietForABindingToAnotherRole() {
        assertEquals(List.of(), firedAlertTypes(fixture("create_clusterrolebinding.json")));
    }

    @Test
    void staysQuietForUnrelatedActivity() {
        assertEquals(List.of(), firedAlertTypes(fixture("create_nginx_pod_privileged.json")));
    }

    @Test
    void staysQuietWhenTheApiServerRefusedTheRequest() {
        ObjectNode refused = fixture("attach_cluster_admin_role.json").deepCopy();
        refused.putObject("responseStatus").put("code", 403);
        assertEquals(List.of(), firedAlertTypes(refused));
    }

    @Test
    void firesForANamespacedBindingToClusterAdminToo() {
        ObjectNode namespaced = fixture("attach_cluster_admin_role.json").deepCopy();
        ((ObjectNode) namespaced.get("objectRef")).put("resource", "rolebindings").put("namespace", "dev");
        assertTrue(firedAlertTypes(namespaced).contains("K8S_ClusterAdminBinding"));
    }
}
