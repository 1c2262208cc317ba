package io.palisade.k8s;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * kube-apiserver's audit policy evaluation (k8s.io/apiserver/pkg/audit/policy/checker.go), for an audit.k8s.io/v1
 * Policy: the first rule that matches a request decides its level and omitted stages (the policy's and the rule's);
 * a request no rule matches is not recorded (level None). A rule matches when each of its fields that is set
 * matches: users (the user's name), userGroups (any of the user's groups), verbs, then, for a resource request,
 * namespaces ("" for a cluster-scoped object) and resources, or, for a non-resource request, nonResourceURLs
 * ({@code /healthz*} is a prefix). A resource entry matches its group exactly and one of its resources: the resource,
 * {@code resource/subresource}, {@code *} (anything, subresources too), <code>&#42;/subresource</code> (that
 * subresource of any resource) or {@code resource/*} (the resource and all its subresources), limited to
 * resourceNames when those are set.
 */
final class AuditPolicyEvaluator {
    /** Audit levels, least first: a level records everything the ones before it do. */
    enum Level {
        None, Metadata, Request, RequestResponse;

        boolean atLeast(Level other) {
            return compareTo(other) >= 0;
        }
    }

    /**
     * What the policy sees of a request (authorizer attributes). A resource request has a resource; a non-resource
     * request has a path instead. {@code apiGroup} is "" for the core group, {@code subresource} and
     * {@code namespace} are "" when there are none, {@code name} is "" when the URL names no object (list, watch,
     * create, deletecollection) or when the name does not matter (one that no resourceNames lists).
     */
    record Request(String user, List<String> groups, String verb, String apiGroup, String resource, String subresource,
            String namespace, String name, String path) {

        static Request resource(String user, List<String> groups, String verb, String apiGroup, String resource,
                String subresource, String namespace, String name) {
            return new Request(user, groups, verb, apiGroup, resource, subresource, namespace, name, null);
        }

        static Request nonResource(String user, List<String> groups, String verb, String path) {
            return new Request(user, groups, verb, null, null, null, null, null, path);
        }

        boolean isResourceRequest() {
            return resource != null;
        }

        /** What is requested, for messages: "patch apps/deployments/scale web", "create pods", "get /healthz". */
        String target() {
            if (!isResourceRequest()) {
                return verb + " " + path;
            }
            return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                    + (subresource.isEmpty() ? "" : "/" + subresource) + (name.isEmpty() ? "" : " " + name);
        }
    }

    /** The level a request is recorded at and the stages that are not recorded. */
    record Decision(Level level, Set<String> omitStages) {
    }

    private static final Set<String> RULE_FIELDS = Set.of("level", "users", "userGroups", "verbs", "resources",
            "namespaces", "nonResourceURLs", "omitStages", "omitManagedFields");
    private static final Set<String> RESOURCE_FIELDS = Set.of("group", "resources", "resourceNames");

    private final JsonNode policy;

    private AuditPolicyEvaluator(JsonNode policy) {
        this.policy = policy;
    }

    /** Reads a policy file, refusing what kube-apiserver refuses (or would silently ignore, such as a misspelt key). */
    static AuditPolicyEvaluator load(Path file) throws IOException {
        JsonNode policy = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .readTree(file.toFile());
        require("audit.k8s.io/v1".equals(policy.path("apiVersion").asText()) && "Policy".equals(policy.path("kind")
                .asText()), file + " is not an audit.k8s.io/v1 Policy");
        require(policy.path("rules").isArray() && !policy.path("rules").isEmpty(), file + " has no rules");
        int index = 0;
        for (JsonNode rule : policy.get("rules")) {
            String where = file.getFileName() + ", rule #" + ++index + " ";
            rule.fieldNames().forEachRemaining(f -> require(RULE_FIELDS.contains(f), where + "has unknown field " + f));
            require(Set.of("None", "Metadata", "Request", "RequestResponse").contains(rule.path("level").asText()),
                    where + "has no level or an unknown one: " + rule.path("level"));
            require(!(rule.has("nonResourceURLs") && (rule.has("resources") || rule.has("namespaces"))),
                    where + "mixes nonResourceURLs with resources or namespaces");
            for (JsonNode resources : rule.path("resources")) {
                resources.fieldNames().forEachRemaining(
                        f -> require(RESOURCE_FIELDS.contains(f), where + "has unknown resources field " + f));
            }
        }
        return new AuditPolicyEvaluator(policy);
    }

    Decision decide(Request request) {
        for (JsonNode rule : policy.get("rules")) {
            if (matches(rule, request)) {
                Set<String> omit = new HashSet<>(strings(policy.path("omitStages")));
                omit.addAll(strings(rule.path("omitStages")));
                return new Decision(Level.valueOf(rule.get("level").asText()), omit);
            }
        }
        return new Decision(Level.None, Set.copyOf(strings(policy.path("omitStages"))));
    }

    Level level(Request request) {
        return decide(request).level();
    }

    private static boolean matches(JsonNode rule, Request request) {
        List<String> users = strings(rule.path("users"));
        if (!users.isEmpty() && !users.contains(request.user())) {
            return false;
        }
        List<String> groups = strings(rule.path("userGroups"));
        if (!groups.isEmpty() && request.groups().stream().noneMatch(groups::contains)) {
            return false;
        }
        List<String> verbs = strings(rule.path("verbs"));
        if (!verbs.isEmpty() && !verbs.contains(request.verb())) {
            return false;
        }
        if (rule.path("namespaces").size() > 0 || rule.path("resources").size() > 0) {
            return matchesResource(rule, request);
        }
        if (rule.path("nonResourceURLs").size() > 0) {
            return !request.isResourceRequest()
                    && strings(rule.get("nonResourceURLs")).stream().anyMatch(url -> pathMatches(request.path(), url));
        }
        return true;
    }

    private static boolean pathMatches(String path, String spec) {
        return spec.equals("*") || spec.equals(path)
                || spec.endsWith("*") && path.startsWith(spec.replaceFirst("\\*+$", ""));
    }

    private static boolean matchesResource(JsonNode rule, Request request) {
        if (!request.isResourceRequest()) {
            return false;
        }
        List<String> namespaces = strings(rule.path("namespaces"));
        if (!namespaces.isEmpty() && !namespaces.contains(request.namespace())) {
            return false;
        }
        if (rule.path("resources").isEmpty()) {
            return true;
        }
        String combined = request.subresource().isEmpty() ? request.resource()
                : request.resource() + "/" + request.subresource();
        for (JsonNode entry : rule.path("resources")) {
            if (!entry.path("group").asText("").equals(request.apiGroup())) {
                continue;
            }
            List<String> resources = strings(entry.path("resources"));
            if (resources.isEmpty()) {
                return true;
            }
            List<String> names = strings(entry.path("resourceNames"));
            if (!names.isEmpty() && !names.contains(request.name())) {
                continue;
            }
            for (String resource : resources) {
                if (resource.equals(combined) || resource.equals("*")
                        || !request.subresource().isEmpty() && resource.startsWith("*/")
                                && resource.substring(2).equals(request.subresource())
                        || resource.endsWith("/*")
                                && resource.substring(0, resource.length() - 2).equals(request.resource())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
