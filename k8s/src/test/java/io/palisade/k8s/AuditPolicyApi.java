package io.palisade.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.palisade.k8s.AuditPolicyEvaluator.Request;

/**
 * The requests the coverage test puts to the audit policy: Kubernetes' built-in resources (API group, scope and
 * subresources) with every verb, a few non-resource paths, and users with the groups the API server gives them.
 * A detection rule that names a resource missing here fails the test, naming the rule, until the resource is added.
 */
final class AuditPolicyApi {
    /** A built-in resource as the API server serves it (current groups only: no extensions/v1beta1). */
    record Resource(String group, String name, boolean namespaced, List<String> subresources) {
    }

    static final List<Resource> RESOURCES = List.of(
            namespaced("", "pods", "status", "ephemeralcontainers", "exec", "attach", "portforward", "proxy", "log",
                    "binding", "eviction"),
            namespaced("", "services", "status", "proxy"),
            namespaced("", "configmaps"),
            namespaced("", "secrets"),
            namespaced("", "serviceaccounts", "token"),
            namespaced("", "endpoints"),
            namespaced("", "events"),
            namespaced("", "replicationcontrollers", "status", "scale"),
            namespaced("", "persistentvolumeclaims", "status"),
            cluster("", "namespaces", "status", "finalize"),
            cluster("", "nodes", "status", "proxy"),
            cluster("", "persistentvolumes", "status"),
            namespaced("apps", "deployments", "status", "scale"),
            namespaced("apps", "daemonsets", "status"),
            namespaced("apps", "statefulsets", "status", "scale"),
            namespaced("apps", "replicasets", "status", "scale"),
            namespaced("apps", "controllerrevisions"),
            namespaced("batch", "jobs", "status"),
            namespaced("batch", "cronjobs", "status"),
            namespaced("autoscaling", "horizontalpodautoscalers", "status"),
            namespaced("policy", "poddisruptionbudgets", "status"),
            namespaced("rbac.authorization.k8s.io", "roles"),
            namespaced("rbac.authorization.k8s.io", "rolebindings"),
            cluster("rbac.authorization.k8s.io", "clusterroles"),
            cluster("rbac.authorization.k8s.io", "clusterrolebindings"),
            cluster("admissionregistration.k8s.io", "mutatingwebhookconfigurations"),
            cluster("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
            cluster("admissionregistration.k8s.io", "validatingadmissionpolicies", "status"),
            cluster("admissionregistration.k8s.io", "validatingadmissionpolicybindings"),
            namespaced("networking.k8s.io", "ingresses", "status"),
            namespaced("networking.k8s.io", "networkpolicies"),
            cluster("networking.k8s.io", "ingressclasses"),
            namespaced("discovery.k8s.io", "endpointslices"),
            namespaced("events.k8s.io", "events"),
            namespaced("coordination.k8s.io", "leases"),
            cluster("apiextensions.k8s.io", "customresourcedefinitions", "status"),
            cluster("certificates.k8s.io", "certificatesigningrequests", "status", "approval"),
            cluster("storage.k8s.io", "storageclasses"),
            cluster("authentication.k8s.io", "tokenreviews"),
            cluster("authorization.k8s.io", "subjectaccessreviews"),
            cluster("authorization.k8s.io", "selfsubjectaccessreviews"));

    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection");
    /** The verbs of each subresource; a connect subresource is a get (websocket) or a create (SPDY, POST). */
    static final Map<String, List<String>> SUBRESOURCE_VERBS = Map.ofEntries(
            Map.entry("status", List.of("get", "update", "patch")),
            Map.entry("scale", List.of("get", "update", "patch")),
            Map.entry("ephemeralcontainers", List.of("get", "update", "patch")),
            Map.entry("approval", List.of("get", "update", "patch")),
            Map.entry("finalize", List.of("update")),
            Map.entry("exec", List.of("get", "create")),
            Map.entry("attach", List.of("get", "create")),
            Map.entry("portforward", List.of("get", "create")),
            Map.entry("proxy", List.of("get", "create", "update", "patch", "delete")),
            Map.entry("log", List.of("get")),
            Map.entry("binding", List.of("create")),
            Map.entry("eviction", List.of("create")),
            Map.entry("token", List.of("create")));
    /** Verbs whose URL names no object: the policy sees no name (a create's name is in its body). */
    static final Set<String> UNNAMED_VERBS = Set.of("list", "watch", "create", "deletecollection");
    static final List<String> HEALTH_PATHS = List.of("/healthz", "/livez", "/readyz", "/version");
    static final List<String> DISCOVERY_PATHS = List.of("/api", "/api/v1", "/apis", "/apis/apps/v1", "/openapi/v2",
            "/openapi/v3");
    static final List<String> PATHS = Stream.of(HEALTH_PATHS, DISCOVERY_PATHS, List.of("/metrics"))
            .flatMap(List::stream).toList();

    /**
     * Subresources that change what the detections read of an object: a patch of pods/ephemeralcontainers adds
     * containers (image, command, env, security context) to a running pod. The others change no container: status,
     * scale, binding, eviction and token carry other objects or fields, and the connect subresources (exec, attach,
     * portforward, proxy, log) carry none.
     */
    static final Set<String> SPEC_SUBRESOURCES = Set.of("pods/ephemeralcontainers");

    static final String ALICE = "alice";
    static final String APP_SERVICE_ACCOUNT = "system:serviceaccount:default:app";
    static final String NODE = "system:node:worker-1";
    static final List<String> KUBE_PROXY = List.of("system:kube-proxy", "system:serviceaccount:kube-system:kube-proxy");
    static final String ANONYMOUS = "system:anonymous";
    static final List<String> ALL_USERS = List.of(ALICE, APP_SERVICE_ACCOUNT, NODE, KUBE_PROXY.get(0),
            KUBE_PROXY.get(1), ANONYMOUS);

    private AuditPolicyApi() {
    }

    /** A request of the model, with the name of the object as a rule sees it. */
    record Shape(Request request, String objectName) {
        /** {@link #objectName} of an object whose name is none of those a rule lists; "" when there is no object. */
        static final String OTHER_NAME = "<other>";

        /**
         * The stages the API server reports the request in: ResponseStarted only for long-running requests
         * (watches and the connect subresources).
         */
        List<String> stages() {
            boolean longRunning = request.verb().equals("watch") || request.isResourceRequest()
                    && Set.of("exec", "attach", "portforward", "proxy", "log").contains(request.subresource());
            return longRunning ? List.of("RequestReceived", "ResponseStarted", "ResponseComplete")
                    : List.of("RequestReceived", "ResponseComplete");
        }
    }

    /** The groups the API server puts an authenticated (or anonymous) user in. */
    static List<String> groupsOf(String user) {
        if (user.equals(ANONYMOUS)) {
            return List.of("system:unauthenticated");
        }
        if (user.startsWith("system:serviceaccount:")) {
            String namespace = user.split(":")[2];
            return List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
        }
        if (user.startsWith("system:node:")) {
            return List.of("system:nodes", "system:authenticated");
        }
        return List.of("system:authenticated");
    }

    /**
     * Every request of the model by these users: each resource and subresource with each of its verbs, in each of
     * these namespaces (namespaced resources), on an object of each of these names or of another name (verbs that
     * name an object); and a get of each non-resource path.
     */
    static List<Shape> shapes(List<String> users, List<String> namespaces, List<String> names) {
        List<Shape> shapes = new ArrayList<>();
        for (String user : users) {
            List<String> groups = groupsOf(user);
            for (Resource resource : RESOURCES) {
                for (String subresource : withMain(resource.subresources())) {
                    for (String verb : subresource.isEmpty() ? VERBS : SUBRESOURCE_VERBS.get(subresource)) {
                        for (String namespace : resource.namespaced() ? namespaces : List.of("")) {
                            for (String name : objectNames(verb, names)) {
                                boolean inUrl = !UNNAMED_VERBS.contains(verb) && !name.equals(Shape.OTHER_NAME);
                                String urlName = inUrl ? name : "";
                                shapes.add(new Shape(Request.resource(user, groups, verb, resource.group(),
                                        resource.name(), subresource, namespace, urlName), name));
                            }
                        }
                    }
                }
            }
            for (String path : PATHS) {
                shapes.add(new Shape(Request.nonResource(user, groups, "get", path), ""));
            }
        }
        return shapes;
    }

    private static List<String> withMain(List<String> subresources) {
        List<String> all = new ArrayList<>();
        all.add("");
        all.addAll(subresources);
        return all;
    }

    /** "" for verbs without an object (list, watch, deletecollection), else the names and any other name. */
    private static List<String> objectNames(String verb, List<String> names) {
        if (Set.of("list", "watch", "deletecollection").contains(verb)) {
            return List.of("");
        }
        List<String> all = new ArrayList<>(names);
        all.add(Shape.OTHER_NAME);
        return all;
    }

    private static Resource namespaced(String group, String name, String... subresources) {
        return new Resource(group, name, true, List.of(subresources));
    }

    private static Resource cluster(String group, String name, String... subresources) {
        return new Resource(group, name, false, List.of(subresources));
    }
}
