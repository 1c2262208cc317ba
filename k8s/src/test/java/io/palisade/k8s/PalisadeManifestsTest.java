package io.palisade.k8s;


import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.palisade.common.messaging.Topics;

/**
 * Every overlay of k8s/, rendered with {@code kubectl kustomize} and loaded with the fabric8 model, holds what a
 * platform team relies on: each Deployment is probed, sized and locked down; everything it refers to exists; its
 * ports, topics and database are the ones the service's own configuration names; only the gateway is reachable from
 * outside.
 */
class PalisadeManifestsTest {
    private static final long NON_ROOT_USER = 185;

    static Stream<RenderedOverlay> overlays() throws IOException {
        return RenderedOverlay.all();
    }

    // ------------------------------------------------------------------------------------------- Deployments

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyServiceRunsAsADeploymentThatIsProbedSizedAndLockedDown(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " Deployments");
        for (ServiceModule service : ServiceModule.ALL) {
            problems.check(overlay.find(Deployment.class, service.name()).isPresent(), "no Deployment for " + service);
        }
        for (Deployment deployment : overlay.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            problems.check(Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()),
                    name + ": mounts a service-account token (automountServiceAccountToken must be false)");
            PodSecurityContext podSecurity = pod.getSecurityContext();
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                checkProbe(problems, where, "startup", container.getStartupProbe(), "/q/health/started", container);
                checkProbe(problems, where, "liveness", container.getLivenessProbe(), "/q/health/live", container);
                checkProbe(problems, where, "readiness", container.getReadinessProbe(), "/q/health/ready", container);
                var resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    problems.check(resources != null && resources.getRequests() != null
                            && resources.getRequests().containsKey(resource), where + ": no " + resource + " request");
                }
                problems.check(resources != null && resources.getLimits() != null
                        && resources.getLimits().containsKey("memory"), where + ": no memory limit");
                SecurityContext security = container.getSecurityContext();
                boolean nonRoot = security != null && Boolean.TRUE.equals(security.getRunAsNonRoot())
                        || podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot());
                problems.check(nonRoot, where + ": runAsNonRoot is not true");
                problems.check(security != null && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()),
                        where + ": root filesystem is not read-only");
                problems.check(security != null && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()),
                        where + ": privilege escalation is not forbidden");
                problems.check(security != null && security.getCapabilities() != null
                        && security.getCapabilities().getDrop() != null
                        && security.getCapabilities().getDrop().contains("ALL")
                        && (security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty()),
                        where + ": capabilities are not all dropped");
                problems.check(!Boolean.TRUE.equals(security == null ? null : security.getPrivileged()),
                        where + ": privileged");
                boolean tmpWritable = container.getVolumeMounts() != null && container.getVolumeMounts().stream()
                        .anyMatch(m -> "/tmp".equals(m.getMountPath()));
                problems.check(tmpWritable, where + ": no writable /tmp (the JVM and Vert.x need one)");
            }
            var annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
            boolean scraped = annotations != null && "true".equals(annotations.get("prometheus.io/scrape"))
                    && "/q/metrics".equals(annotations.get("prometheus.io/path"))
                    && pod.getContainers().get(0).getPorts().stream().anyMatch(
                            p -> String.valueOf(p.getContainerPort()).equals(annotations.get("prometheus.io/port")));
            problems.check(scraped || !overlay.kind("ServiceMonitor").isEmpty(),
                    name + ": neither Prometheus scrape annotations (scrape, /q/metrics, the container's port) nor a ServiceMonitor");
        }
        problems.assertNone();
    }

    private static void checkProbe(Problems problems, String where, String kind, Probe probe, String path,
            Container container) {
        if (probe == null || probe.getHttpGet() == null) {
            problems.add(where + ": no HTTP " + kind + " probe");
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        problems.check(path.equals(get.getPath()), where + ": " + kind + " probe on " + get.getPath() + ", not " + path);
        problems.check(port(container, get.getPort().getStrVal(), get.getPort().getIntVal()).isPresent(),
                where + ": " + kind + " probe on port " + get.getPort() + " that the container does not expose");
    }

    private static Optional<ContainerPort> port(Container container, String name, Integer number) {
        return container.getPorts().stream()
                .filter(p -> name != null ? name.equals(p.getName()) : number.equals(p.getContainerPort()))
                .findFirst();
    }

    // ------------------------------------------------------------------------------------------- references

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyReferencedConfigMapSecretAndServiceAccountExists(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " references");
        Set<String> configMaps = names(overlay.all(ConfigMap.class));
        Set<String> secrets = names(overlay.all(Secret.class));
        Set<String> serviceAccounts = names(overlay.all(ServiceAccount.class));
        for (Deployment deployment : overlay.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            String account = pod.getServiceAccountName();
            problems.check(account == null || serviceAccounts.contains(account),
                    name + ": ServiceAccount " + account + " does not exist");
            for (Container container : pod.getContainers()) {
                for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                    if (from.getConfigMapRef() != null) {
                        exists(problems, configMaps, name + ": ConfigMap", from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null) {
                        exists(problems, secrets, name + ": Secret", from.getSecretRef().getName());
                    }
                }
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    var source = env.getValueFrom();
                    if (source != null && source.getSecretKeyRef() != null) {
                        var ref = source.getSecretKeyRef();
                        problems.check(secretHasKey(overlay, ref.getName(), ref.getKey()),
                                name + ": env " + env.getName() + " reads Secret " + ref.getName() + " key " + ref.getKey()
                                        + ", which does not exist");
                    }
                    if (source != null && source.getConfigMapKeyRef() != null) {
                        exists(problems, configMaps, name + ": env " + env.getName() + " reads ConfigMap",
                                source.getConfigMapKeyRef().getName());
                    }
                }
            }
            for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                if (volume.getSecret() != null) {
                    exists(problems, secrets, name + ": volume Secret", volume.getSecret().getSecretName());
                }
                if (volume.getConfigMap() != null) {
                    exists(problems, configMaps, name + ": volume ConfigMap", volume.getConfigMap().getName());
                }
            }
        }
        // the operators read Secrets by name too
        for (JsonNode cluster : overlay.json("Cluster")) {
            for (JsonNode role : cluster.at("/spec/managed/roles")) {
                String secret = role.at("/passwordSecret/name").asText();
                problems.check(secretHasKey(overlay, secret, "username") && secretHasKey(overlay, secret, "password"),
                        "database role " + role.at("/name").asText() + ": Secret " + secret + " with username and password does not exist");
            }
        }
        for (JsonNode keycloak : overlay.json("Keycloak")) {
            for (String field : List.of("/spec/db/usernameSecret", "/spec/db/passwordSecret")) {
                JsonNode ref = keycloak.at(field);
                problems.check(secretHasKey(overlay, ref.at("/name").asText(), ref.at("/key").asText()),
                        "Keycloak " + field + ": Secret " + ref.at("/name").asText() + " key " + ref.at("/key").asText() + " does not exist");
            }
            String admin = keycloak.at("/spec/bootstrapAdmin/user/secret").asText();
            problems.check(secretHasKey(overlay, admin, "username") && secretHasKey(overlay, admin, "password"),
                    "Keycloak's first admin: Secret " + admin + " with username and password does not exist");
        }
        problems.assertNone();
    }

    private static void exists(Problems problems, Set<String> names, String reference, String name) {
        problems.check(names.contains(name), reference + " " + name + " does not exist");
    }

    private static boolean secretHasKey(RenderedOverlay overlay, String name, String key) {
        return overlay.find(Secret.class, name).map(s -> s.getData() != null && s.getData().containsKey(key)
                || s.getStringData() != null && s.getStringData().containsKey(key)).orElse(false);
    }

    // ------------------------------------------------------------------------------------------- ports

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void servicePortsAreTheServicesConfiguredPortsAndTheGatewayRoutesToThem(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " ports");
        for (ServiceModule module : ServiceModule.ALL) {
            int port = module.httpPort();
            Container container = overlay.require(Deployment.class, module.name()).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            Optional<ContainerPort> http = port(container, "http", null);
            problems.check(http.isPresent() && http.get().getContainerPort() == port,
                    module + ": container port http is " + http.map(ContainerPort::getContainerPort).orElse(null)
                            + ", the service listens on " + port + " (quarkus.http.port)");
            Map<String, String> config = configOf(overlay, module.name());
            problems.check(!config.containsKey("quarkus.http.port") || config.get("quarkus.http.port").equals(String.valueOf(port)),
                    module + ": the ConfigMap moves quarkus.http.port away from the container port");
            Optional<Service> service = overlay.find(Service.class, module.name());
            if (service.isEmpty()) {
                problems.add(module + ": no Service");
                continue;
            }
            problems.check(Selectors.matches(new io.fabric8.kubernetes.api.model.LabelSelector(null,
                    service.get().getSpec().getSelector()), overlay.require(Deployment.class, module.name()).getSpec()
                            .getTemplate().getMetadata().getLabels()),
                    module + ": the Service's selector does not select its pods");
            ServicePort servicePort = service.get().getSpec().getPorts().get(0);
            problems.check(servicePort.getPort() == port, module + ": Service port " + servicePort.getPort() + ", not " + port);
            var target = servicePort.getTargetPort();
            problems.check(target != null && ("http".equals(target.getStrVal()) || Integer.valueOf(port).equals(target.getIntVal())),
                    module + ": Service targets " + target + ", not the container's port");
        }
        // the gateway's upstreams are those Services
        Map<String, String> gateway = configOf(overlay, "gateway");
        for (String upstream : List.of("connector", "plan", "detection", "alert")) {
            String key = "palisade.services." + upstream + ".url";
            String url = gateway.get(key);
            if (url == null) {
                problems.add("gateway: no " + key + " in its ConfigMap (it would call 127.0.0.1)");
                continue;
            }
            URI uri = URI.create(url);
            Optional<Service> service = overlay.find(Service.class, uri.getHost());
            problems.check(service.isPresent() && service.get().getSpec().getPorts().stream()
                    .anyMatch(p -> p.getPort() == uri.getPort()), "gateway: " + key + "=" + url + " is no Service port");
        }
        // the Ingress sends the public host to the gateway's Service
        for (var ingress : overlay.all(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    var backend = path.getBackend().getService();
                    boolean exists = overlay.find(Service.class, backend.getName()).map(s -> s.getSpec().getPorts().stream()
                            .anyMatch(p -> backend.getPort().getName() != null ? backend.getPort().getName().equals(p.getName())
                                    : backend.getPort().getNumber().equals(p.getPort())))
                            .orElse(false)
                            || keycloakService(overlay, backend.getName(), backend.getPort().getNumber());
                    problems.check(exists, "Ingress " + rule.getHost() + path.getPath() + " → " + backend.getName()
                            + ":" + backend.getPort() + ", which no Service offers");
                }
            }
            problems.check(ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty(), "Ingress without TLS");
        }
        problems.assertNone();
    }

    /** The Keycloak operator makes the Service {@code <name>-service}, on 8080 when plain HTTP is enabled. */
    private static boolean keycloakService(RenderedOverlay overlay, String service, Integer port) {
        return overlay.json("Keycloak").stream().anyMatch(k -> service.equals(k.at("/metadata/name").asText() + "-service")
                && k.at("/spec/http/httpEnabled").asBoolean() && Integer.valueOf(8080).equals(port));
    }

    // ------------------------------------------------------------------------------------------- Kafka

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyTopicTheServicesUseIsAKafkaTopicLaidOutAsTheCodeExpects(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " Kafka");
        JsonNode kafka = overlay.single("Kafka");
        String cluster = kafka.at("/metadata/name").asText();
        int brokers = 0;
        for (JsonNode pool : overlay.json("KafkaNodePool")) {
            if (cluster.equals(pool.at("/metadata/labels/strimzi.io~1cluster").asText())) {
                problems.check(contains(pool.at("/spec/roles"), "controller"), "node pool " + pool.at("/metadata/name")
                        + " has no controller role: the cluster must run in KRaft mode");
                if (contains(pool.at("/spec/roles"), "broker")) {
                    brokers += pool.at("/spec/replicas").asInt();
                }
            }
        }
        problems.check(brokers > 0, "no broker node pool for " + cluster);
        problems.check(!kafka.at("/spec/kafka/config/auto.create.topics.enable").asBoolean(true),
                "brokers create topics on first use (auto.create.topics.enable) instead of from the KafkaTopic objects");
        problems.check(kafka.at("/spec/kafka/config/offsets.topic.replication.factor").asInt() <= brokers,
                "offsets.topic.replication.factor above the " + brokers + " broker(s)");
        problems.check(kafka.at("/spec/zookeeper").isMissingNode(), "ZooKeeper configured: KRaft only");

        Map<String, JsonNode> topics = new HashMap<>();
        for (JsonNode topic : overlay.json("KafkaTopic")) {
            String name = topic.at("/spec/topicName").asText(topic.at("/metadata/name").asText());
            topics.put(name, topic);
            problems.check(cluster.equals(topic.at("/metadata/labels/strimzi.io~1cluster").asText()),
                    "KafkaTopic " + name + " belongs to no cluster of this overlay");
            int replicas = topic.at("/spec/replicas").asInt();
            problems.check(replicas >= 1 && replicas <= brokers, "topic " + name + ": " + replicas + " replicas on " + brokers + " broker(s)");
            int minInSync = kafka.at("/spec/kafka/config/min.insync.replicas").asInt(1);
            problems.check(minInSync <= replicas, "topic " + name + ": min.insync.replicas " + minInSync + " above its " + replicas + " replicas");
        }
        for (Topics.TopicSpec spec : Topics.ALL) {
            JsonNode topic = topics.get(spec.name());
            if (topic == null) {
                problems.add("no KafkaTopic for " + spec.name() + " (services/common Topics.ALL)");
                continue;
            }
            problems.check(topic.at("/spec/partitions").asInt() == spec.partitions(),
                    spec.name() + ": " + topic.at("/spec/partitions").asInt() + " partitions, the code lays out " + spec.partitions());
            boolean compacted = "compact".equals(topic.at("/spec/config/cleanup.policy").asText());
            problems.check(compacted == spec.compacted(), spec.name() + (spec.compacted() ? " must be compacted" : " must not be compacted"));
            if (spec.maxMessageBytes() > 0) {
                problems.check(topic.at("/spec/config/max.message.bytes").asInt() >= spec.maxMessageBytes(),
                        spec.name() + ": max.message.bytes below the " + spec.maxMessageBytes() + " bytes one record may take");
                problems.check(kafka.at("/spec/kafka/config/replica.fetch.max.bytes").asInt() >= spec.maxMessageBytes(),
                        "replica.fetch.max.bytes below " + spec.name() + "'s largest record");
            }
        }
        for (ServiceModule module : ServiceModule.ALL) {
            for (String topic : module.topics()) {
                problems.check(topics.containsKey(topic), module + " uses topic " + topic + ", which is no KafkaTopic");
            }
        }
        // services reach the plain listener through Strimzi's bootstrap Service, and create no topics themselves
        Set<String> listeners = new HashSet<>();
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            if (!listener.at("/tls").asBoolean() && "internal".equals(listener.at("/type").asText())) {
                listeners.add(cluster + "-kafka-bootstrap:" + listener.at("/port").asInt());
            }
        }
        for (ServiceModule module : ServiceModule.ALL) {
            Map<String, String> config = configOf(overlay, module.name());
            if (module.topics().isEmpty()) {
                continue;
            }
            problems.check(listeners.contains(config.get("kafka.bootstrap.servers")), module + ": kafka.bootstrap.servers="
                    + config.get("kafka.bootstrap.servers") + " is not the cluster's bootstrap " + listeners);
            problems.check("false".equals(config.get("palisade.kafka.topic-bootstrap-enabled")),
                    module + " would create topics itself (palisade.kafka.topic-bootstrap-enabled)");
        }
        problems.assertNone();
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------- PostgreSQL

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyServiceHasItsOwnDatabaseAndLoginInTheCloudNativePgCluster(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " PostgreSQL");
        JsonNode cluster = overlay.single("Cluster");
        String clusterName = cluster.at("/metadata/name").asText();
        Map<String, String> roleSecrets = new HashMap<>();
        for (JsonNode role : cluster.at("/spec/managed/roles")) {
            roleSecrets.put(role.at("/name").asText(), role.at("/passwordSecret/name").asText());
        }
        Map<String, String> databaseOwners = new HashMap<>();
        for (JsonNode database : overlay.json("Database")) {
            if (clusterName.equals(database.at("/spec/cluster/name").asText())) {
                databaseOwners.put(database.at("/spec/name").asText(), database.at("/spec/owner").asText());
            }
        }
        Set<String> seen = new TreeSet<>();
        for (ServiceModule module : ServiceModule.ALL) {
            String wanted = module.databaseName();
            Map<String, String> config = configOf(overlay, module.name());
            String url = config.get("quarkus.datasource.jdbc.url");
            if (url == null) {
                problems.add(module + ": no quarkus.datasource.jdbc.url in its ConfigMap (it would connect to 127.0.0.1)");
                continue;
            }
            var jdbc = ServiceModule.jdbc(url);
            problems.check((clusterName + "-rw").equals(jdbc.group(1)), module + " connects to " + jdbc.group(1)
                    + ", not the primary " + clusterName + "-rw");
            problems.check(wanted.equals(jdbc.group(3)), module + " connects to database " + jdbc.group(3)
                    + ", its configuration names " + wanted);
            problems.check(seen.add(jdbc.group(3)), module + " shares database " + jdbc.group(3) + " with another service");
            String owner = databaseOwners.get(jdbc.group(3));
            if (owner == null) {
                problems.add(module + ": no Database " + jdbc.group(3) + " in cluster " + clusterName);
                continue;
            }
            String roleSecret = roleSecrets.get(owner);
            problems.check(roleSecret != null, module + ": database owner " + owner + " is no managed role");
            Container container = overlay.require(Deployment.class, module.name()).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            for (String property : List.of("quarkus.datasource.username", "quarkus.datasource.password")) {
                Optional<EnvVar> env = container.getEnv().stream().filter(e -> property.equals(e.getName())).findFirst();
                String secret = env.map(e -> e.getValueFrom().getSecretKeyRef().getName()).orElse(null);
                problems.check(roleSecret != null && roleSecret.equals(secret),
                        module + ": " + property + " from Secret " + secret + ", the role " + owner + " has " + roleSecret);
            }
            overlay.find(Secret.class, roleSecret == null ? "" : roleSecret).ifPresent(secret -> problems.check(
                    owner.equals(decoded(secret, "username")), "Secret " + roleSecret + " logs in as "
                            + decoded(secret, "username") + ", the database owner is " + owner));
        }
        for (JsonNode keycloak : overlay.json("Keycloak")) {
            String database = keycloak.at("/spec/db/database").asText();
            problems.check(databaseOwners.containsKey(database), "Keycloak's database " + database + " is no Database");
            problems.check((clusterName + "-rw").equals(keycloak.at("/spec/db/host").asText()), "Keycloak's database host is not "
                    + clusterName + "-rw");
        }
        problems.assertNone();
    }

    private static String decoded(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        return secret.getData() == null || secret.getData().get(key) == null ? null
                : new String(Base64.getDecoder().decode(secret.getData().get(key)));
    }

    /** Quarkus' and Keycloak's default pool sizes, and what alert-service holds beside its pool (the stream's LISTEN). */
    private static final int QUARKUS_DEFAULT_POOL = 20;
    private static final int KEYCLOAK_DEFAULT_POOL = 100;
    private static final Map<String, Integer> CONNECTIONS_BESIDE_THE_POOL = Map.of("alert-service", 1);

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theServicesAndKeycloakAtTheirMostReplicasStayWithinPostgresConnections(RenderedOverlay overlay) {
        JsonNode cluster = overlay.single("Cluster");
        int maxConnections = cluster.at("/spec/postgresql/parameters/max_connections").asInt(100);
        int demand = 0;
        List<String> parts = new ArrayList<>();
        for (ServiceModule module : ServiceModule.ALL) {
            Deployment deployment = overlay.require(Deployment.class, module.name());
            int replicas = overlay.all(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class).stream()
                    .filter(h -> module.name().equals(h.getSpec().getScaleTargetRef().getName()))
                    .map(h -> h.getSpec().getMaxReplicas()).findFirst()
                    .orElse(Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1));
            String pool = configOf(overlay, module.name()).get("quarkus.datasource.jdbc.max-size");
            int perReplica = (pool == null ? QUARKUS_DEFAULT_POOL : Integer.parseInt(pool))
                    + CONNECTIONS_BESIDE_THE_POOL.getOrDefault(module.name(), 0);
            demand += replicas * perReplica;
            parts.add(module + " " + replicas + "×" + perReplica);
        }
        for (JsonNode keycloak : overlay.json("Keycloak")) {
            int instances = keycloak.at("/spec/instances").asInt(1);
            int pool = keycloak.at("/spec/db/poolMaxSize").asInt(KEYCLOAK_DEFAULT_POOL);
            demand += instances * pool;
            parts.add("keycloak " + instances + "×" + pool);
        }
        // CloudNativePG and PostgreSQL keep some connections for themselves (superuser, replication, status)
        int available = maxConnections - 20;
        org.junit.jupiter.api.Assertions.assertTrue(demand <= available, overlay + ": " + demand
                + " database connections at the autoscalers' maxima (" + String.join(", ", parts) + ") but "
                + maxConnections + " max_connections");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theOperatorsPodsMeetTheNamespacesRestrictedPodSecurityProfile(RenderedOverlay overlay) {
        var namespace = overlay.all(io.fabric8.kubernetes.api.model.Namespace.class).get(0);
        if (!"restricted".equals(namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"))) {
            return;
        }
        Problems problems = new Problems(overlay + " operator pods under the restricted profile");
        for (JsonNode pool : overlay.json("KafkaNodePool")) {
            restricted(problems, "Kafka node pool", pool.at("/spec/template/pod/securityContext"),
                    pool.at("/spec/template/kafkaContainer/securityContext"));
        }
        for (JsonNode kafka : overlay.json("Kafka")) {
            restricted(problems, "entity operator", kafka.at("/spec/entityOperator/template/pod/securityContext"),
                    kafka.at("/spec/entityOperator/template/topicOperatorContainer/securityContext"));
        }
        for (JsonNode keycloak : overlay.json("Keycloak")) {
            restricted(problems, "Keycloak", keycloak.at("/spec/unsupported/podTemplate/spec/securityContext"),
                    keycloak.at("/spec/unsupported/podTemplate/spec/containers/0/securityContext"));
        }
        problems.assertNone();
    }

    private static void restricted(Problems problems, String what, JsonNode pod, JsonNode container) {
        problems.check(pod.at("/runAsNonRoot").asBoolean() && "RuntimeDefault".equals(pod.at("/seccompProfile/type").asText()),
                what + ": its pods are not set non-root with the RuntimeDefault seccomp profile");
        problems.check(!container.at("/allowPrivilegeEscalation").asBoolean(true)
                && list(container.at("/capabilities/drop")).contains("ALL"),
                what + ": its container may escalate privileges or keeps capabilities");
    }

    // ------------------------------------------------------------------------------------------- network

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void onlyTheGatewayIsReachableFromOutsideAndTheServicesOnlyFromTheGateway(RenderedOverlay overlay) {
        Problems problems = new Problems(overlay + " NetworkPolicies");
        List<NetworkPolicy> policies = overlay.all(NetworkPolicy.class);
        Map<String, String> gatewayLabels = overlay.require(Deployment.class, "gateway").getSpec().getTemplate()
                .getMetadata().getLabels();
        String namespace = overlay.require(Deployment.class, "gateway").getMetadata().getNamespace();
        for (ServiceModule module : ServiceModule.ALL) {
            Map<String, String> labels = overlay.require(Deployment.class, module.name()).getSpec().getTemplate()
                    .getMetadata().getLabels();
            List<NetworkPolicy> selecting = policies.stream()
                    .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress")
                            && Selectors.matches(p.getSpec().getPodSelector(), labels))
                    .toList();
            problems.check(!selecting.isEmpty(), module + ": no NetworkPolicy isolates it (any pod may connect)");
            for (NetworkPolicy policy : selecting) {
                for (NetworkPolicyIngressRule rule : Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of())) {
                    String where = module + " ← " + policy.getMetadata().getName();
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        problems.add(where + ": open to every source");
                        continue;
                    }
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        problems.check(peer.getIpBlock() == null, where + ": open to an IP block");
                        if (peer.getNamespaceSelector() != null) {
                            String from = peer.getNamespaceSelector().getMatchLabels() == null ? "*"
                                    : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                            problems.check(!Selectors.selectsAll(peer.getNamespaceSelector()) && from != null,
                                    where + ": open to every namespace");
                            boolean gatewayFromIngress = module.name().equals("gateway") && "ingress-nginx".equals(from);
                            boolean metrics = "monitoring".equals(from);
                            problems.check(gatewayFromIngress || metrics || namespace.equals(from),
                                    where + ": reachable from namespace " + from);
                        } else if (peer.getPodSelector() != null && !module.name().equals("gateway")) {
                            // within the namespace, only the gateway calls the services
                            problems.check(Selectors.matches(peer.getPodSelector(), gatewayLabels),
                                    where + ": a pod rule that does not even admit the gateway");
                            for (Deployment other : overlay.all(Deployment.class)) {
                                Map<String, String> otherLabels = other.getSpec().getTemplate().getMetadata().getLabels();
                                problems.check(otherLabels.equals(gatewayLabels)
                                        || !Selectors.matches(peer.getPodSelector(), otherLabels),
                                        where + ": reachable from " + other.getMetadata().getName() + ", not only the gateway");
                            }
                            problems.check(!Selectors.selectsAll(peer.getPodSelector()), where + ": reachable from every pod");
                        }
                    }
                }
            }
        }
        problems.assertNone();
    }

    // ------------------------------------------------------------------------------------------- shared

    /** The configuration a service's container gets from its ConfigMaps (keys are Quarkus property names). */
    static Map<String, String> configOf(RenderedOverlay overlay, String deploymentName) {
        Map<String, String> config = new HashMap<>();
        Container container = overlay.require(Deployment.class, deploymentName).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() != null) {
                overlay.find(ConfigMap.class, from.getConfigMapRef().getName())
                        .ifPresent(map -> config.putAll(Optional.ofNullable(map.getData()).orElse(Map.of())));
            }
        }
        for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (env.getValue() != null) {
                config.put(env.getName(), env.getValue());
            }
        }
        return config;
    }

    static Set<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        Set<String> names = new HashSet<>();
        objects.forEach(o -> names.add(o.getMetadata().getName()));
        return names;
    }

    static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
