package io.palisade.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Benign audit events shaped like a busy cluster's, as the audit policy of {@code k8s/cluster-kit/audit-policy.yaml}
 * records them: controllers and users reading (get/list/watch) many kinds of resources, kubelets and controllers
 * updating status, ReplicaSets and endpoint slices, token requests, events, and pod and workload creates with full pod
 * specs at RequestResponse level (several containers, env, volumes, resources, probes, labels). The policy drops nodes'
 * reads, leases and health probes, so none are generated. All events fall in one two-hour window, well inside the
 * anomaly rule's learning period, and use only identities the catalogue expects (allowed users, system identities):
 * none of them should fire a rule.
 */
public final class BusyClusterTraffic {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant WINDOW_START = Instant.parse("2026-11-01T09:00:00Z");
    private static final long WINDOW_MICROS = 2L * 3600 * 1_000_000;

    private static final List<String> NAMESPACES = List.of("shop", "payments", "checkout", "search", "monitoring",
            "ingress-nginx", "cert-manager", "argocd", "logging", "data");
    private static final List<String> NODE_NAMES = List.of("ip-10-0-1-17.eu-west-1.compute.internal",
            "ip-10-0-1-42.eu-west-1.compute.internal", "ip-10-0-2-8.eu-west-1.compute.internal",
            "ip-10-0-2-93.eu-west-1.compute.internal", "ip-10-0-3-51.eu-west-1.compute.internal",
            "ip-10-0-3-77.eu-west-1.compute.internal");
    private static final List<String> CONTROLLERS = List.of("replicaset-controller", "deployment-controller",
            "endpointslice-controller", "daemon-set-controller", "statefulset-controller", "job-controller",
            "cronjob-controller", "generic-garbage-collector", "namespace-controller", "resourcequota-controller",
            "horizontal-pod-autoscaler", "disruption-controller");
    /** Workloads' own service accounts and operators (namespace:name). */
    private static final List<String> OPERATORS = List.of("monitoring:prometheus", "monitoring:kube-state-metrics",
            "ingress-nginx:ingress-nginx", "argocd:argocd-application-controller", "logging:fluent-bit",
            "kube-system:metrics-server", "kube-system:coredns", "kube-system:aws-load-balancer-controller");
    private static final List<String> HUMANS = List.of("kubernetes-admin", "admin", "kube");
    /** Readable resources: group, resource, namespaced. */
    private static final List<String[]> READABLE = List.of(
            new String[] {"", "pods", "y"}, new String[] {"", "services", "y"}, new String[] {"", "endpoints", "y"},
            new String[] {"", "configmaps", "y"}, new String[] {"", "nodes", "n"}, new String[] {"", "namespaces", "n"},
            new String[] {"", "persistentvolumeclaims", "y"}, new String[] {"", "persistentvolumes", "n"},
            new String[] {"", "serviceaccounts", "y"}, new String[] {"", "events", "y"},
            new String[] {"", "resourcequotas", "y"}, new String[] {"", "limitranges", "y"},
            new String[] {"apps", "deployments", "y"}, new String[] {"apps", "replicasets", "y"},
            new String[] {"apps", "statefulsets", "y"}, new String[] {"apps", "daemonsets", "y"},
            new String[] {"batch", "jobs", "y"}, new String[] {"batch", "cronjobs", "y"},
            new String[] {"discovery.k8s.io", "endpointslices", "y"},
            new String[] {"networking.k8s.io", "ingresses", "y"},
            new String[] {"networking.k8s.io", "networkpolicies", "y"},
            new String[] {"policy", "poddisruptionbudgets", "y"},
            new String[] {"autoscaling", "horizontalpodautoscalers", "y"},
            new String[] {"rbac.authorization.k8s.io", "roles", "y"},
            new String[] {"rbac.authorization.k8s.io", "clusterroles", "n"},
            new String[] {"storage.k8s.io", "storageclasses", "n"},
            new String[] {"apiextensions.k8s.io", "customresourcedefinitions", "n"},
            new String[] {"cert-manager.io", "certificates", "y"},
            new String[] {"monitoring.coreos.com", "servicemonitors", "y"});
    private static final List<String> APPS = List.of("cart", "catalog", "checkout-api", "payment-gateway",
            "search-indexer", "recommendations", "orders", "inventory", "notifications", "frontend");

    private final Random random;
    private final String kubeletAgent = "kubelet/v1.32.3 (linux/amd64) kubernetes/32cc146";

    public BusyClusterTraffic(Random random) {
        this.random = random;
    }

    /** One benign event, its kind drawn by weight. */
    public ObjectNode next() {
        int roll = random.nextInt(100);
        if (roll < 32) {
            return controllerRead();
        } else if (roll < 40) {
            return userRead();
        } else if (roll < 60) {
            return statusUpdate();
        } else if (roll < 68) {
            return endpointSliceUpdate();
        } else if (roll < 76) {
            return eventCreate();
        } else if (roll < 82) {
            return tokenRequest();
        } else if (roll < 85) {
            return configMapUpdate();
        } else if (roll < 89) {
            return replicaSetScale();
        } else if (roll < 95) {
            return podCreate();
        } else if (roll < 97) {
            return workloadCreateOrPatch();
        } else {
            return podDelete();
        }
    }

    // ----------------------------------------------------------------------------------------------- reads

    private ObjectNode controllerRead() {
        String[] resource = pick(READABLE);
        String verb = pick(List.of("get", "list", "watch", "watch", "list"));
        String user;
        String agent;
        if (random.nextInt(3) == 0) {
            String sa = pick(OPERATORS);
            user = "system:serviceaccount:" + sa;
            agent = sa.substring(sa.indexOf(':') + 1) + "/v1.14.2 (linux/amd64) kubernetes/$Format";
        } else if (random.nextBoolean()) {
            user = "system:serviceaccount:kube-system:" + pick(CONTROLLERS);
            agent = "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146/" + user.substring(22);
        } else {
            user = pick(List.of("system:kube-controller-manager", "system:kube-scheduler"));
            agent = user.substring(7) + "/v1.32.3 (linux/amd64) kubernetes/32cc146/leader-election";
        }
        return read(user, groupsOf(user), agent, verb, resource);
    }

    private ObjectNode userRead() {
        if (random.nextInt(8) == 0) {
            // cert-manager and ingress controllers keep a watch on secrets (Metadata only, by policy)
            String user = pick(List.of("system:serviceaccount:cert-manager:cert-manager",
                    "system:serviceaccount:ingress-nginx:ingress-nginx"));
            return read(user, groupsOf(user), "controller/v1.11.0", pick(List.of("list", "watch")),
                    new String[] {"", "secrets", "y"});
        }
        String user = pick(HUMANS);
        String[] resource = pick(READABLE.subList(0, 22));
        ObjectNode event = read(user, List.of("system:masters", "system:authenticated"),
                "kubectl/v1.32.3 (linux/amd64) kubernetes/32cc146", pick(List.of("get", "list", "list")), resource);
        if ("pods".equals(resource[1]) && random.nextInt(4) == 0) {
            ((ObjectNode) event.get("objectRef")).put("subresource", "log");
        }
        return event;
    }

    private ObjectNode read(String user, List<String> groups, String agent, String verb, String[] resource) {
        String namespace = "y".equals(resource[2]) && (!"list".equals(verb) && !"watch".equals(verb)
                || random.nextInt(3) > 0) ? pick(NAMESPACES) : null;
        String name = "get".equals(verb) ? resource[1].replaceAll("s$", "") + "-" + hex(5) : null;
        ObjectNode event = base("Metadata", verb, user, groups, agent, pick(List.of("10.0.0.12", "10.0.1.17",
                "10.0.2.8", "172.16.4.21")), 200);
        event.put("requestURI", uri(resource, namespace, name, verb));
        objectRef(event, resource[0], resource[1], namespace, name);
        return event;
    }

    // ----------------------------------------------------------------------------------------------- updates

    private ObjectNode statusUpdate() {
        String node = pick(NODE_NAMES);
        String user = "system:node:" + node;
        ObjectNode event;
        if (random.nextInt(3) == 0) {
            event = base("Metadata", "patch", user, List.of("system:nodes", "system:authenticated"), kubeletAgent,
                    "10.0.1.17", 200);
            objectRef(event, "", "nodes", null, node).put("subresource", "status");
            event.put("requestURI", "/api/v1/nodes/" + node + "/status?timeout=10s");
        } else if (random.nextBoolean()) {
            String pod = pick(APPS) + "-" + hex(10) + "-" + hex(5);
            String ns = pick(NAMESPACES);
            event = base("Metadata", "patch", user, List.of("system:nodes", "system:authenticated"), kubeletAgent,
                    "10.0.2.8", 200);
            objectRef(event, "", "pods", ns, pod).put("subresource", "status");
            event.put("requestURI", "/api/v1/namespaces/" + ns + "/pods/" + pod + "/status");
        } else {
            String controller = pick(List.of("deployment-controller", "replicaset-controller",
                    "statefulset-controller", "horizontal-pod-autoscaler"));
            String user2 = "system:serviceaccount:kube-system:" + controller;
            String[] kinds = pick(List.<String[]>of(new String[] {"apps", "deployments"},
                    new String[] {"apps", "replicasets"}, new String[] {"apps", "statefulsets"},
                    new String[] {"autoscaling", "horizontalpodautoscalers"}));
            String ns = pick(NAMESPACES);
            String name = pick(APPS);
            event = base("Metadata", "update", user2, groupsOf(user2),
                    "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146/" + controller, "10.0.0.12", 200);
            objectRef(event, kinds[0], kinds[1], ns, name).put("subresource", "status");
            event.put("requestURI", "/apis/" + kinds[0] + "/v1/namespaces/" + ns + "/" + kinds[1] + "/" + name
                    + "/status");
        }
        return event;
    }

    private ObjectNode endpointSliceUpdate() {
        String user = "system:serviceaccount:kube-system:endpointslice-controller";
        String ns = pick(NAMESPACES);
        String name = pick(APPS) + "-" + hex(5);
        ObjectNode event = base("Metadata", "update", user, groupsOf(user),
                "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146/endpointslice-controller",
                "10.0.0.12", 200);
        objectRef(event, "discovery.k8s.io", "endpointslices", ns, name);
        event.put("requestURI", "/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices/" + name);
        return event;
    }

    private ObjectNode eventCreate() {
        String node = pick(NODE_NAMES);
        String ns = pick(NAMESPACES);
        String name = pick(APPS) + "-" + hex(10) + "-" + hex(5) + "." + hex(16);
        ObjectNode event = base("Metadata", "create", "system:node:" + node, List.of("system:nodes",
                "system:authenticated"), kubeletAgent, "10.0.3.51", 201);
        objectRef(event, "", "events", ns, name);
        event.put("requestURI", "/api/v1/namespaces/" + ns + "/events");
        return event;
    }

    private ObjectNode tokenRequest() {
        String node = pick(NODE_NAMES);
        String sa = pick(OPERATORS);
        String ns = sa.substring(0, sa.indexOf(':'));
        String name = sa.substring(sa.indexOf(':') + 1);
        ObjectNode event = base("Metadata", "create", "system:node:" + node, List.of("system:nodes",
                "system:authenticated"), kubeletAgent, "10.0.1.42", 201);
        objectRef(event, "", "serviceaccounts", ns, name).put("subresource", "token");
        event.put("requestURI", "/api/v1/namespaces/" + ns + "/serviceaccounts/" + name + "/token");
        return event;
    }

    private ObjectNode configMapUpdate() {
        String user = pick(List.of("system:serviceaccount:argocd:argocd-application-controller",
                "system:serviceaccount:monitoring:prometheus", "kubernetes-admin"));
        String ns = pick(NAMESPACES);
        String name = pick(APPS) + "-config";
        ObjectNode event = base("RequestResponse", "update", user, groupsOf(user),
                "argocd-application-controller/v2.13.1", "10.0.1.17", 200);
        objectRef(event, "", "configmaps", ns, name);
        event.put("requestURI", "/api/v1/namespaces/" + ns + "/configmaps/" + name);
        ObjectNode body = NODES.objectNode().put("kind", "ConfigMap").put("apiVersion", "v1");
        ObjectNode metadata = body.putObject("metadata").put("name", name).put("namespace", ns);
        labels(metadata, name);
        ObjectNode data = body.putObject("data");
        data.put("LOG_LEVEL", pick(List.of("info", "debug", "warn")));
        data.put("FEATURE_FLAGS", "checkout-v2,fast-search,new-recommendations");
        data.put("CACHE_TTL_SECONDS", Integer.toString(60 + random.nextInt(600)));
        data.put("application.yaml", "server:\n  port: 8080\n  shutdown: graceful\nmanagement:\n  endpoints:\n"
                + "    web:\n      exposure:\n        include: health,prometheus\nupstream:\n  url: http://"
                + pick(APPS) + "." + ns + ".svc.cluster.local:8080\n  timeout: 2s\n");
        event.set("requestObject", body);
        ObjectNode response = body.deepCopy();
        serverMetadata((ObjectNode) response.get("metadata"), user);
        event.set("responseObject", response);
        return event;
    }

    private ObjectNode replicaSetScale() {
        String user = "system:serviceaccount:kube-system:deployment-controller";
        String ns = pick(NAMESPACES);
        String app = pick(APPS);
        String name = app + "-" + hex(10);
        ObjectNode event = base("RequestResponse", "update", user, groupsOf(user),
                "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146/deployment-controller", "10.0.0.12",
                200);
        objectRef(event, "apps", "replicasets", ns, name);
        event.put("requestURI", "/apis/apps/v1/namespaces/" + ns + "/replicasets/" + name);
        ObjectNode body = workload("ReplicaSet", ns, name, app);
        event.set("requestObject", body);
        ObjectNode response = body.deepCopy();
        serverMetadata((ObjectNode) response.get("metadata"), user);
        event.set("responseObject", response);
        return event;
    }

    // ----------------------------------------------------------------------------------------------- creates

    private ObjectNode podCreate() {
        boolean system = random.nextInt(10) == 0;
        String ns = system ? "kube-system" : pick(NAMESPACES);
        String app = system ? "coredns" : pick(APPS);
        String name = app + "-" + hex(10) + "-" + hex(5);
        String controller = pick(List.of("replicaset-controller", "replicaset-controller", "job-controller",
                "statefulset-controller"));
        String user = "system:serviceaccount:kube-system:" + controller;
        ObjectNode event = base("RequestResponse", "create", user, groupsOf(user),
                "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146/system:serviceaccount:kube-system:"
                        + controller, "10.0.0.12", 201);
        objectRef(event, "", "pods", ns, null);
        event.put("requestURI", "/api/v1/namespaces/" + ns + "/pods");
        ObjectNode pod = NODES.objectNode().put("kind", "Pod").put("apiVersion", "v1");
        ObjectNode metadata = pod.putObject("metadata").put("generateName", name.substring(0, name.length() - 5))
                .put("namespace", ns);
        labels(metadata, app);
        metadata.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
                .put("name", name.substring(0, name.length() - 6)).put("uid", uuid()).put("controller", true)
                .put("blockOwnerDeletion", true);
        pod.set("spec", podSpec(app, system));
        event.set("requestObject", pod);
        ObjectNode response = pod.deepCopy();
        ObjectNode responseMetadata = (ObjectNode) response.get("metadata");
        responseMetadata.put("name", name);
        serverMetadata(responseMetadata, user);
        ObjectNode spec = (ObjectNode) response.get("spec");
        spec.put("schedulerName", "default-scheduler").put("enableServiceLinks", true)
                .put("preemptionPolicy", "PreemptLowerPriority").put("priority", 0);
        response.putObject("status").put("phase", "Pending").put("qosClass", "Burstable");
        event.set("responseObject", response);
        return event;
    }

    private ObjectNode workloadCreateOrPatch() {
        String[] kind = pick(List.<String[]>of(new String[] {"apps", "deployments", "Deployment"},
                new String[] {"apps", "statefulsets", "StatefulSet"}, new String[] {"batch", "jobs", "Job"},
                new String[] {"apps", "deployments", "Deployment"}));
        String ns = pick(NAMESPACES);
        String app = pick(APPS);
        boolean patch = random.nextBoolean();
        String user = pick(List.of("system:serviceaccount:argocd:argocd-application-controller", "kubernetes-admin",
                "system:serviceaccount:kube-system:cronjob-controller"));
        ObjectNode event = base("RequestResponse", patch ? "patch" : "create", user, groupsOf(user),
                "argocd-application-controller/v2.13.1", "10.0.1.42", patch ? 200 : 201);
        objectRef(event, kind[0], kind[1], ns, patch ? app : null);
        event.put("requestURI", "/apis/" + kind[0] + "/v1/namespaces/" + ns + "/" + kind[1] + (patch ? "/" + app
                + "?fieldManager=argocd-controller" : ""));
        ObjectNode body = workload(kind[2], ns, app, app);
        event.set("requestObject", body);
        ObjectNode response = body.deepCopy();
        serverMetadata((ObjectNode) response.get("metadata"), user);
        event.set("responseObject", response);
        return event;
    }

    private ObjectNode podDelete() {
        String ns = pick(NAMESPACES);
        String name = pick(APPS) + "-" + hex(10) + "-" + hex(5);
        String user = pick(List.of("system:serviceaccount:kube-system:replicaset-controller",
                "system:serviceaccount:kube-system:generic-garbage-collector", "kubernetes-admin"));
        ObjectNode event = base("RequestResponse", "delete", user, groupsOf(user),
                "kube-controller-manager/v1.32.3 (linux/amd64) kubernetes/32cc146", "10.0.0.12", 200);
        objectRef(event, "", "pods", ns, name);
        event.put("requestURI", "/api/v1/namespaces/" + ns + "/pods/" + name);
        event.putObject("requestObject").put("kind", "DeleteOptions").put("apiVersion", "v1")
                .put("propagationPolicy", "Background");
        return event;
    }

    // ----------------------------------------------------------------------------------------------- bodies

    private ObjectNode workload(String kind, String ns, String name, String app) {
        ObjectNode body = NODES.objectNode().put("kind", kind).put("apiVersion", "Job".equals(kind) ? "batch/v1"
                : "apps/v1");
        ObjectNode metadata = body.putObject("metadata").put("name", name).put("namespace", ns);
        labels(metadata, app);
        metadata.putObject("annotations").put("argocd.argoproj.io/tracking-id", app + ":apps/Deployment:" + ns + "/"
                + app).put("deployment.kubernetes.io/revision", Integer.toString(1 + random.nextInt(40)));
        ObjectNode spec = body.putObject("spec");
        if (!"Job".equals(kind)) {
            spec.put("replicas", 2 + random.nextInt(6)).put("revisionHistoryLimit", 10);
            spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", app);
        } else {
            spec.put("backoffLimit", 3).put("ttlSecondsAfterFinished", 3600);
        }
        ObjectNode template = spec.putObject("template");
        labels(template.putObject("metadata"), app);
        template.set("spec", podSpec(app, false));
        return body;
    }

    private ObjectNode podSpec(String app, boolean system) {
        ObjectNode spec = NODES.objectNode();
        spec.put("serviceAccountName", app).put("terminationGracePeriodSeconds", 30).put("dnsPolicy", "ClusterFirst")
                .put("restartPolicy", "Always");
        spec.putObject("securityContext").put("runAsNonRoot", true).put("runAsUser", 10001).put("fsGroup", 10001)
                .putObject("seccompProfile").put("type", "RuntimeDefault");
        ArrayNode containers = spec.putArray("containers");
        String image = system ? "registry.k8s.io/coredns/coredns:v1.11.3"
                : pick(List.of("registry.example.com/shop/", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/",
                        "ghcr.io/example-org/")) + app + ":" + (1 + random.nextInt(4)) + "." + random.nextInt(30) + "."
                        + random.nextInt(10);
        containers.add(container(app, image, true));
        if (!system) {
            containers.add(container("istio-proxy", "docker.io/istio/proxyv2:1.24.2", false));
            if (random.nextBoolean()) {
                containers.add(container("log-shipper", "cr.fluentbit.io/fluent/fluent-bit:3.2.4", false));
            }
            ArrayNode init = spec.putArray("initContainers");
            ObjectNode migrate = container("migrate", image, false);
            migrate.putArray("command").add("/app/bin/migrate").add("--wait-for-db").add("--timeout=120s");
            init.add(migrate);
        }
        ArrayNode volumes = spec.putArray("volumes");
        volumes.addObject().put("name", "config").putObject("configMap").put("name", app + "-config")
                .put("defaultMode", 420);
        volumes.addObject().put("name", "tls").putObject("secret").put("secretName", app + "-tls")
                .put("defaultMode", 420);
        volumes.addObject().put("name", "tmp").putObject("emptyDir").put("sizeLimit", "256Mi");
        if (random.nextInt(3) == 0) {
            volumes.addObject().put("name", "data").putObject("persistentVolumeClaim").put("claimName", "data-" + app);
        }
        ObjectNode projected = volumes.addObject().put("name", "kube-api-access-" + hex(5)).putObject("projected");
        projected.put("defaultMode", 420);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
        sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt").putArray("items").addObject()
                .put("key", "ca.crt").put("path", "ca.crt");
        ObjectNode affinity = spec.putObject("affinity").putObject("podAntiAffinity");
        ObjectNode term = affinity.putArray("preferredDuringSchedulingIgnoredDuringExecution").addObject()
                .put("weight", 100).putObject("podAffinityTerm").put("topologyKey", "topology.kubernetes.io/zone");
        term.putObject("labelSelector").putObject("matchLabels").put("app.kubernetes.io/name", app);
        ArrayNode tolerations = spec.putArray("tolerations");
        tolerations.addObject().put("key", "node.kubernetes.io/not-ready").put("operator", "Exists")
                .put("effect", "NoExecute").put("tolerationSeconds", 300);
        tolerations.addObject().put("key", "node.kubernetes.io/unreachable").put("operator", "Exists")
                .put("effect", "NoExecute").put("tolerationSeconds", 300);
        return spec;
    }

    private ObjectNode container(String name, String image, boolean main) {
        ObjectNode c = NODES.objectNode().put("name", name).put("image", image).put("imagePullPolicy", "IfNotPresent");
        if (main) {
            ArrayNode ports = c.putArray("ports");
            ports.addObject().put("name", "http").put("containerPort", 8080).put("protocol", "TCP");
            ports.addObject().put("name", "metrics").put("containerPort", 9090).put("protocol", "TCP");
            ArrayNode env = c.putArray("env");
            env.addObject().put("name", "APP_ENV").put("value", "production");
            env.addObject().put("name", "JAVA_TOOL_OPTIONS").put("value", "-XX:MaxRAMPercentage=75 -XX:+UseG1GC");
            env.addObject().put("name", "OTEL_EXPORTER_OTLP_ENDPOINT")
                    .put("value", "http://otel-collector.monitoring:4317");
            env.addObject().put("name", "DB_HOST").put("value", "postgres.data.svc.cluster.local");
            env.addObject().put("name", "DB_USER").putObject("valueFrom").putObject("secretKeyRef")
                    .put("name", name + "-db").put("key", "username");
            env.addObject().put("name", "DB_CREDENTIAL").putObject("valueFrom").putObject("secretKeyRef")
                    .put("name", name + "-db").put("key", "credential");
            env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef")
                    .put("fieldPath", "metadata.name");
            env.addObject().put("name", "NODE_IP").putObject("valueFrom").putObject("fieldRef")
                    .put("fieldPath", "status.hostIP");
            c.putArray("envFrom").addObject().putObject("configMapRef").put("name", name + "-config");
            ObjectNode liveness = c.putObject("livenessProbe");
            liveness.putObject("httpGet").put("path", "/q/health/live").put("port", 8080).put("scheme", "HTTP");
            liveness.put("initialDelaySeconds", 10).put("periodSeconds", 10).put("failureThreshold", 3);
            ObjectNode readiness = c.putObject("readinessProbe");
            readiness.putObject("httpGet").put("path", "/q/health/ready").put("port", 8080).put("scheme", "HTTP");
            readiness.put("periodSeconds", 5).put("failureThreshold", 3);
        } else {
            c.putArray("args").add("proxy").add("sidecar").add("--domain").add("$(POD_NAMESPACE).svc.cluster.local");
            c.putArray("env").addObject().put("name", "POD_NAMESPACE").putObject("valueFrom").putObject("fieldRef")
                    .put("fieldPath", "metadata.namespace");
        }
        ObjectNode resources = c.putObject("resources");
        resources.putObject("requests").put("cpu", main ? "250m" : "50m").put("memory", main ? "512Mi" : "64Mi");
        resources.putObject("limits").put("memory", main ? "1Gi" : "256Mi");
        ArrayNode mounts = c.putArray("volumeMounts");
        mounts.addObject().put("name", "config").put("mountPath", "/app/config").put("readOnly", true);
        mounts.addObject().put("name", "tls").put("mountPath", "/etc/tls").put("readOnly", true);
        mounts.addObject().put("name", "tmp").put("mountPath", "/tmp");
        c.putObject("securityContext").put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true)
                .putObject("capabilities").putArray("drop").add("ALL");
        c.put("terminationMessagePath", "/dev/termination-log").put("terminationMessagePolicy", "File");
        return c;
    }

    private void labels(ObjectNode metadata, String app) {
        metadata.putObject("labels").put("app.kubernetes.io/name", app).put("app.kubernetes.io/part-of", "shop")
                .put("app.kubernetes.io/version", "1." + random.nextInt(30) + ".0")
                .put("app.kubernetes.io/managed-by", "argocd").put("pod-template-hash", hex(10))
                .put("security.istio.io/tlsMode", "istio");
    }

    /** What the API server adds to a stored object. */
    private void serverMetadata(ObjectNode metadata, String manager) {
        metadata.put("uid", uuid()).put("resourceVersion", Integer.toString(10_000_000 + random.nextInt(90_000_000)))
                .put("creationTimestamp", "2026-11-01T09:" + two(random.nextInt(60)) + ":" + two(random.nextInt(60))
                        + "Z");
        ObjectNode field = metadata.putArray("managedFields").addObject().put("manager", manager.substring(
                manager.lastIndexOf(':') + 1)).put("operation", "Update").put("apiVersion", "v1")
                .put("time", "2026-11-01T09:00:00Z").put("fieldsType", "FieldsV1");
        ObjectNode fields = field.putObject("fieldsV1").putObject("f:metadata");
        fields.putObject("f:labels").putObject("f:app.kubernetes.io/name");
        fields.putObject("f:ownerReferences").putObject("k:{\"uid\":\"" + uuid() + "\"}");
    }

    // ----------------------------------------------------------------------------------------------- envelope

    private ObjectNode base(String level, String verb, String user, List<String> groups, String agent, String ip,
            int code) {
        long offset = (long) (random.nextDouble() * WINDOW_MICROS);
        Instant received = WINDOW_START.plusNanos(offset * 1000);
        Instant done = received.plusNanos((200 + random.nextInt(40_000)) * 1000L);
        ObjectNode event = NODES.objectNode().put("kind", "Event").put("apiVersion", "audit.k8s.io/v1")
                .put("level", level).put("auditID", uuid()).put("stage", "ResponseComplete").put("requestURI", "")
                .put("verb", verb);
        ObjectNode userNode = event.putObject("user").put("username", user);
        if (user.startsWith("system:serviceaccount:") || user.startsWith("system:node:")) {
            userNode.put("uid", uuid());
        }
        ArrayNode groupNodes = userNode.putArray("groups");
        groups.forEach(groupNodes::add);
        if (user.startsWith("system:serviceaccount:")) {
            ObjectNode extra = userNode.putObject("extra");
            extra.putArray("authentication.kubernetes.io/credential-id").add("JTI=" + uuid());
            extra.putArray("authentication.kubernetes.io/node-name").add(pick(NODE_NAMES));
        }
        event.putArray("sourceIPs").add(ip);
        event.put("userAgent", agent);
        event.putObject("responseStatus").putObject("metadata");
        ((ObjectNode) event.get("responseStatus")).put("code", code);
        event.put("requestReceivedTimestamp", MICROS.format(received)).put("stageTimestamp", MICROS.format(done));
        event.putObject("annotations").put("authorization.k8s.io/decision", "allow")
                .put("authorization.k8s.io/reason", user.startsWith("system:") ? "RBAC: allowed by ClusterRoleBinding "
                        + "\"system:controller\" of ClusterRole \"system:controller\" to User \"" + user + "\""
                        : "RBAC: allowed by ClusterRoleBinding \"cluster-admins\" of ClusterRole \"cluster-admin\" "
                                + "to Group \"system:masters\"");
        return event;
    }

    private static ObjectNode objectRef(ObjectNode event, String group, String resource, String namespace,
            String name) {
        ObjectNode ref = event.putObject("objectRef").put("resource", resource);
        if (namespace != null) {
            ref.put("namespace", namespace);
        }
        if (name != null) {
            ref.put("name", name);
        }
        if (!group.isEmpty()) {
            ref.put("apiGroup", group);
        }
        ref.put("apiVersion", "v1");
        return ref;
    }

    private String uri(String[] resource, String namespace, String name, String verb) {
        StringBuilder uri = new StringBuilder(resource[0].isEmpty() ? "/api/v1" : "/apis/" + resource[0] + "/v1");
        if (namespace != null) {
            uri.append("/namespaces/").append(namespace);
        }
        uri.append('/').append(resource[1]);
        if (name != null) {
            uri.append('/').append(name);
        }
        if ("watch".equals(verb)) {
            uri.append("?allowWatchBookmarks=true&resourceVersion=").append(10_000_000 + random.nextInt(90_000_000))
                    .append("&timeout=").append(5 + random.nextInt(5)).append("m").append(random.nextInt(60))
                    .append("s&timeoutSeconds=").append(300 + random.nextInt(300)).append("&watch=true");
        } else if ("list".equals(verb)) {
            uri.append("?limit=500&resourceVersion=0");
        }
        return uri.toString();
    }

    private static List<String> groupsOf(String user) {
        if (user.startsWith("system:serviceaccount:")) {
            String ns = user.split(":")[2];
            return List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated");
        }
        if (user.startsWith("system:")) {
            return List.of("system:authenticated");
        }
        return List.of("system:masters", "system:authenticated");
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String hex(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append("bcdfghjklmnpqrstvwxz2456789".charAt(random.nextInt(27)));
        }
        return s.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
