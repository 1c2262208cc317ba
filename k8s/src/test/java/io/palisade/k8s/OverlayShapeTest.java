package io.palisade.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * What differs between the overlays, and what each must keep: production is highly available and has no development
 * users; both import the same realm as the local stack; the public hosts agree everywhere; every service has a
 * container build file that fits its Deployment.
 */
class OverlayShapeTest {
    private static final Set<String> STATELESS = Set.of("connector-service", "plan-service", "detection-service",
            "alert-service", "gateway");
    private static final Set<String> AUTOSCALED = Set.of("detection-service", "gateway");

    static Stream<RenderedOverlay> overlays() throws IOException {
        return RenderedOverlay.all();
    }

    @Test
    void productionRunsEveryServiceTwiceAtLeastSpreadOverNodesWithBudgetsAndAutoscaling() {
        RenderedOverlay production = RenderedOverlay.of("production");
        Problems problems = new Problems("production high availability");
        for (Deployment deployment : production.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            if (AUTOSCALED.contains(name)) {
                problems.check(deployment.getSpec().getReplicas() == null, name + ": a fixed replica count ("
                        + deployment.getSpec().getReplicas() + ") that every apply would reset under its autoscaler");
            } else if (STATELESS.contains(name)) {
                problems.check(deployment.getSpec().getReplicas() != null && deployment.getSpec().getReplicas() >= 2,
                        name + ": " + deployment.getSpec().getReplicas() + " replica(s)");
            }
            var affinity = deployment.getSpec().getTemplate().getSpec().getAffinity();
            problems.check(affinity != null && affinity.getPodAntiAffinity() != null
                    && affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                            .anyMatch(t -> "kubernetes.io/hostname".equals(t.getPodAffinityTerm().getTopologyKey())
                                    && Selectors.matches(t.getPodAffinityTerm().getLabelSelector(), labels)),
                    name + ": no anti-affinity keeping its replicas on different nodes");
            problems.check(production.all(PodDisruptionBudget.class).stream()
                    .anyMatch(b -> Selectors.matches(b.getSpec().getSelector(), labels)
                            && b.getSpec().getMinAvailable() != null && b.getSpec().getMinAvailable().getIntVal() >= 1),
                    name + ": no PodDisruptionBudget keeping a replica up");
            problems.check(deployment.getSpec().getStrategy() != null
                    && deployment.getSpec().getStrategy().getRollingUpdate() != null
                    && deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal() == 0,
                    name + ": a rolling update may take a replica down before its successor is ready");
        }
        for (String name : AUTOSCALED) {
            var autoscaler = production.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> name.equals(h.getSpec().getScaleTargetRef().getName())
                            && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind()))
                    .findFirst();
            problems.check(autoscaler.isPresent(), name + ": no HorizontalPodAutoscaler");
            autoscaler.ifPresent(h -> problems.check(h.getSpec().getMinReplicas() >= 2
                    && h.getSpec().getMaxReplicas() > h.getSpec().getMinReplicas(), name + ": autoscaler range "
                            + h.getSpec().getMinReplicas() + ".." + h.getSpec().getMaxReplicas()));
        }
        // a detection replica beyond the audit-events partitions would consume nothing
        production.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> "detection-service".equals(h.getSpec().getScaleTargetRef().getName()))
                .forEach(h -> problems.check(h.getSpec().getMaxReplicas() <= partitions(production, "palisade.audit-events"),
                        "detection-service scales past the partitions of palisade.audit-events"));
        int brokers = production.json("KafkaNodePool").stream().mapToInt(p -> p.at("/spec/replicas").asInt()).sum();
        problems.check(brokers >= 3, "Kafka on " + brokers + " node(s)");
        problems.check(production.requireJson("Kafka", "palisade-kafka").at("/spec/kafka/config/min.insync.replicas").asInt() >= 2,
                "Kafka acknowledges writes held by one replica only (min.insync.replicas < 2)");
        production.json("Cluster").forEach(c -> problems.check(c.at("/spec/instances").asInt() >= 2,
                "PostgreSQL cluster without a standby"));
        production.json("Keycloak").forEach(k -> problems.check(k.at("/spec/instances").asInt() >= 2,
                "a single Keycloak instance"));
        problems.check(production.all(PodDisruptionBudget.class).stream().anyMatch(b -> Selectors.matches(
                b.getSpec().getSelector(), Map.of("app", "keycloak", "app.kubernetes.io/instance", "palisade-keycloak"))),
                "no PodDisruptionBudget keeping a Keycloak instance up");
        problems.assertNone();
    }

    private static int partitions(RenderedOverlay overlay, String topic) {
        return overlay.json("KafkaTopic").stream().filter(t -> topic.equals(t.at("/spec/topicName").asText()))
                .mapToInt(t -> t.at("/spec/partitions").asInt()).findFirst().orElse(0);
    }

    @Test
    void devRunsOneOfEverything() {
        RenderedOverlay dev = RenderedOverlay.of("dev");
        for (Deployment deployment : dev.all(Deployment.class)) {
            assertEquals(1, deployment.getSpec().getReplicas(), deployment.getMetadata().getName());
        }
        assertTrue(dev.all(HorizontalPodAutoscaler.class).isEmpty(), "no autoscaling in dev");
    }

    // ------------------------------------------------------------------------------------------- realm

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theRealmHasTheRolesAndPortalClientOfTheLocalStack(RenderedOverlay overlay) throws IOException {
        JsonNode local = new ObjectMapper().readTree(Repository.file("infra/keycloak/palisade-realm.json").toFile());
        JsonNode realm = realmOf(overlay);
        Problems problems = new Problems(overlay + " realm");
        problems.check(local.at("/realm").equals(realm.at("/realm")), "realm name " + realm.at("/realm"));
        problems.check(local.at("/roles").equals(realm.at("/roles")),
                "realm roles differ from infra/keycloak/palisade-realm.json");
        JsonNode localPortal = client(local, "palisade-portal");
        JsonNode portal = client(realm, "palisade-portal");
        for (String field : List.of("/publicClient", "/standardFlowEnabled", "/directAccessGrantsEnabled",
                "/implicitFlowEnabled", "/protocolMappers", "/attributes/pkce.code.challenge.method")) {
            problems.check(localPortal.at(field).equals(portal.at(field)), "palisade-portal " + field + " is "
                    + portal.at(field) + ", the local stack's is " + localPortal.at(field));
        }
        problems.assertNone();
    }

    @Test
    void productionHasNoDevelopmentUsersNorPasswordGrants() {
        JsonNode realm = realmOf(RenderedOverlay.of("production"));
        assertTrue(realm.at("/users").isMissingNode() || realm.at("/users").isEmpty(), "users in the production realm: "
                + realm.at("/users"));
        for (JsonNode client : realm.at("/clients")) {
            assertFalse(client.at("/directAccessGrantsEnabled").asBoolean(), client.at("/clientId")
                    + " accepts passwords directly (password grant) in production");
            assertFalse(client.toString().contains("dev-"), client.at("/clientId") + " carries a development secret");
        }
        // external: TLS for every client outside the cluster's private network; the services' back-channel calls to
        // Keycloak stay in-cluster plain HTTP behind the NetworkPolicies
        assertEquals("external", realm.at("/sslRequired").asText(), "production requires TLS from outside");
    }

    @Test
    void devHasTheDevelopmentUsersOfTheLocalStack() throws IOException {
        JsonNode local = new ObjectMapper().readTree(Repository.file("infra/keycloak/palisade-realm.json").toFile());
        JsonNode realm = realmOf(RenderedOverlay.of("dev"));
        assertEquals(userRoles(local), userRoles(realm), "dev users and roles = infra/keycloak/palisade-realm.json's");
    }

    private static Map<String, Set<String>> userRoles(JsonNode realm) {
        Map<String, Set<String>> users = new HashMap<>();
        for (JsonNode user : realm.at("/users")) {
            if (user.at("/serviceAccountClientId").isMissingNode()) {
                Set<String> roles = new TreeSet<>();
                user.at("/realmRoles").forEach(r -> roles.add(r.asText()));
                users.put(user.at("/username").asText(), roles);
            }
        }
        return users;
    }

    private static JsonNode realmOf(RenderedOverlay overlay) {
        JsonNode realmImport = overlay.single("KeycloakRealmImport");
        Set<String> keycloaks = new HashSet<>();
        overlay.json("Keycloak").forEach(k -> keycloaks.add(k.at("/metadata/name").asText()));
        assertTrue(keycloaks.contains(realmImport.at("/spec/keycloakCRName").asText()),
                overlay + ": the realm import names no Keycloak of the overlay");
        return realmImport.at("/spec/realm");
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode client : realm.at("/clients")) {
            if (clientId.equals(client.at("/clientId").asText())) {
                return client;
            }
        }
        throw new AssertionError("no client " + clientId);
    }

    // ------------------------------------------------------------------------------------------- hosts

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void thePublicHostsAgreeAcrossIngressCertificateKeycloakAndThePortalsRedirect(RenderedOverlay overlay) {
        Ingress ingress = overlay.require(Ingress.class, "palisade");
        Set<String> certified = new HashSet<>();
        for (IngressTLS tls : ingress.getSpec().getTls()) {
            certified.addAll(tls.getHosts());
        }
        String portalHost = null;
        String authHost = null;
        for (var rule : ingress.getSpec().getRules()) {
            assertTrue(certified.contains(rule.getHost()), overlay + ": " + rule.getHost() + " is served without TLS");
            String backend = rule.getHttp().getPaths().get(0).getBackend().getService().getName();
            if ("gateway".equals(backend)) {
                portalHost = rule.getHost();
            } else {
                authHost = rule.getHost();
            }
        }
        JsonNode keycloak = overlay.requireJson("Keycloak", "palisade-keycloak");
        assertEquals(authHost, URI.create(keycloak.at("/spec/hostname/hostname").asText()).getHost(),
                overlay + ": Keycloak's hostname (the tokens' issuer) is not the Ingress's sign-in host");
        assertEquals("https", URI.create(keycloak.at("/spec/hostname/hostname").asText()).getScheme(),
                overlay + ": Keycloak's public address is not HTTPS");
        for (JsonNode uri : client(realmOf(overlay), "palisade-portal").at("/redirectUris")) {
            assertEquals("https://" + portalHost + "/*", uri.asText(), overlay + ": the portal's redirect address");
        }
    }

    // ------------------------------------------------------------------------------------------- images

    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)\\s*$");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");

    @Test
    void everyServiceHasAJvmContainerBuildFileThatFitsItsDeployment() throws IOException {
        RenderedOverlay dev = RenderedOverlay.of("dev");
        Problems problems = new Problems("container build files");
        for (ServiceModule module : ServiceModule.ALL) {
            var file = module.directory().resolve("src/main/docker/Dockerfile.jvm");
            if (!Files.exists(file)) {
                problems.add(module + ": no src/main/docker/Dockerfile.jvm");
                continue;
            }
            String dockerfile = Files.readString(file);
            Matcher expose = EXPOSE.matcher(dockerfile);
            problems.check(expose.find() && Integer.parseInt(expose.group(1)) == module.httpPort(),
                    module + ": the image does not expose " + module.httpPort());
            Matcher user = USER.matcher(dockerfile);
            Long runAsUser = dev.require(Deployment.class, module.name()).getSpec().getTemplate().getSpec()
                    .getSecurityContext().getRunAsUser();
            problems.check(user.find() && Long.valueOf(user.group(1)).equals(runAsUser),
                    module + ": the image's numeric USER is not the Deployment's runAsUser " + runAsUser);
            Matcher from = FROM.matcher(dockerfile);
            problems.check(from.find() && from.group(1).contains("openjdk-17"), module + ": not a Java 17 (JVM mode) base image");
            for (String part : List.of("lib/", "app/", "quarkus/", "*.jar")) {
                problems.check(dockerfile.contains("target/quarkus-app/" + part), module + ": does not copy quarkus-app/" + part);
            }
            String image = dev.require(Deployment.class, module.name()).getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getImage();
            problems.check(dockerfile.contains(image), module + ": the build file's tag is not the Deployment's image " + image);
        }
        problems.assertNone();
    }
}
