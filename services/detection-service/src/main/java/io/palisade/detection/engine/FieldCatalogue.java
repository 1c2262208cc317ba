package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The audit-event fields a rule may test, with what each means. A rule naming any other field is rejected when it
 * is loaded, so a typo can never turn a rule silently off.
 *
 * <p>
 * Paths below {@code requestObject.}, {@code responseObject.}, {@code podSpec.} and {@code podContainers[].} are free
 * (the object's own fields). A segment ending in {@code []} steps into every element of an array, e.g.
 * {@code requestObject.spec.containers[].image}; the segment {@code *} steps into every value of a mapping (or
 * element of an array), e.g. {@code requestObject.data.*}. {@code annotations.<key>} reads one annotation, whose key
 * may itself contain dots and slashes.
 *
 * <p>
 * Pod templates count: {@code podSpec.} reads the pod spec of a pod, or the pod template of a Deployment, DaemonSet,
 * StatefulSet, ReplicaSet, ReplicationController, Job or CronJob, as sent; {@code podContainers[].} reads every
 * container of it (containers, initContainers and ephemeralContainers).
 */
public final class FieldCatalogue {
    public static final Map<String, String> FIELDS;
    public static final Map<String, String> PREFIXES;

    static {
        Map<String, String> fields = new TreeMap<>();
        fields.put("verb", "the request verb: get, list, watch, create, update, patch, delete, deletecollection");
        fields.put("stage", "RequestReceived, ResponseStarted, ResponseComplete or Panic");
        fields.put("level", "Metadata, Request or RequestResponse");
        fields.put("auditID", "unique id of the request, the same for all its stages");
        fields.put("requestURI", "the request URI including the query string");
        fields.put("userAgent", "the client's user agent (client-reported)");
        fields.put("sourceIPs", "the client IPs (all but the last are client-settable)");
        fields.put("user.username", "the authenticated user");
        fields.put("user.groups", "the user's groups");
        fields.put("impersonatedUser.username", "the impersonated user, if any");
        fields.put("objectRef.resource", "the resource type, e.g. pods, clusterrolebindings");
        fields.put("objectRef.subresource", "the subresource, e.g. exec, attach, log");
        fields.put("objectRef.namespace", "the object's namespace");
        fields.put("objectRef.name", "the object's name");
        fields.put("objectRef.apiGroup", "the API group, empty for the core group");
        fields.put("objectRef.apiVersion", "the API version");
        fields.put("responseStatus.code", "the HTTP status the API server answered");
        fields.put("pod.images", "every container image of the pod or pod template (see podContainers[].)");
        fields.put("pod.imageRepositories", "every container image without its tag and digest, e.g. docker.io/library/nginx "
                + "for docker.io/library/nginx:1.27@sha256:…");
        fields.put("workload", "the workload an object belongs to: its owner's name (a Deployment's ReplicaSet and "
                + "pods resolve to the Deployment's name), else its own name");
        FIELDS = Map.copyOf(fields);
        PREFIXES = Map.of(
                "requestObject.", "a path in the object as sent (Request level and up)",
                "responseObject.", "a path in the object as returned (RequestResponse level)",
                "annotations.", "one audit annotation by key, e.g. annotations.authorization.k8s.io/decision",
                "podSpec.", "a path in the pod spec of a pod or of a workload's pod template, e.g. podSpec.hostNetwork",
                "podContainers[].", "a path in every container of the pod spec (containers, initContainers, "
                        + "ephemeralContainers), e.g. podContainers[].securityContext.privileged");
    }

    private FieldCatalogue() {
    }

    /** Where a field's path starts. */
    enum Root {
        EVENT, POD_SPEC, POD_CONTAINERS
    }

    /** An accessor for a documented field, or a {@link RuleDefinitionException} naming the known ones. */
    public static FieldPath resolve(String field) {
        if (field == null || field.isBlank()) {
            throw new RuleDefinitionException("a condition has no 'field'");
        }
        switch (field) {
            case "pod.images":
                return new FieldPath(field, Root.POD_CONTAINERS, List.of("image"), Derivation.NONE);
            case "pod.imageRepositories":
                return new FieldPath(field, Root.POD_CONTAINERS, List.of("image"), Derivation.IMAGE_REPOSITORY);
            case "workload":
                return new FieldPath(field, Root.EVENT, List.of(), Derivation.WORKLOAD);
            default:
                break;
        }
        if (FIELDS.containsKey(field)) {
            return new FieldPath(field, Root.EVENT, List.of(field.split("\\.")), Derivation.NONE);
        }
        if (field.startsWith("annotations.") && field.length() > "annotations.".length()) {
            return new FieldPath(field, Root.EVENT, List.of("annotations", field.substring("annotations.".length())),
                    Derivation.NONE);
        }
        for (String prefix : List.of("requestObject.", "responseObject.")) {
            if (field.startsWith(prefix) && field.length() > prefix.length()) {
                List<String> segments = new ArrayList<>();
                segments.add(prefix.substring(0, prefix.length() - 1));
                segments.addAll(segments(field, prefix));
                return new FieldPath(field, Root.EVENT, segments, Derivation.NONE);
            }
        }
        if (field.startsWith("podSpec.") && field.length() > "podSpec.".length()) {
            return new FieldPath(field, Root.POD_SPEC, segments(field, "podSpec."), Derivation.NONE);
        }
        if (field.startsWith("podContainers[].") && field.length() > "podContainers[].".length()) {
            return new FieldPath(field, Root.POD_CONTAINERS, segments(field, "podContainers[]."), Derivation.NONE);
        }
        throw new RuleDefinitionException("unknown field '" + field + "'; known fields: " + FIELDS.keySet()
                + " and paths below " + PREFIXES.keySet());
    }

    private static List<String> segments(String field, String prefix) {
        List<String> segments = new ArrayList<>();
        for (String s : field.substring(prefix.length()).split("\\.", -1)) {
            if (s.isEmpty()) {
                throw new RuleDefinitionException("field '" + field + "' has an empty path segment");
            }
            segments.add(s);
        }
        return segments;
    }

    /** A value computed from what the path reads. */
    enum Derivation {
        NONE, IMAGE_REPOSITORY, WORKLOAD
    }

    /** A resolved field: reads every value it points at (several when it steps through arrays). */
    public record FieldPath(String name, Root root, List<String> segments, Derivation derivation, boolean plain) {
        FieldPath(String name, Root root, List<String> segments, Derivation derivation) {
            this(name, root, List.copyOf(segments), derivation,
                    root == Root.EVENT && derivation == Derivation.NONE && plainPath(segments));
        }

        public List<JsonNode> values(JsonNode event) {
            if (derivation == Derivation.WORKLOAD) {
                String workload = PodSpecs.workload(event);
                return workload == null ? List.of() : List.of(TextNode.valueOf(workload));
            }
            if (plain) {
                return plainValues(event);
            }
            List<JsonNode> current = switch (root) {
                case EVENT -> List.of(event);
                case POD_SPEC -> PodSpecs.of(event);
                case POD_CONTAINERS -> PodSpecs.containers(event);
            };
            for (String segment : segments) {
                current = step(current, segment);
            }
            // A leaf array (sourceIPs, user.groups) is tested element by element.
            List<JsonNode> leaves = new ArrayList<>();
            for (JsonNode node : current) {
                if (node.isArray()) {
                    node.forEach(leaves::add);
                } else {
                    leaves.add(node);
                }
            }
            if (derivation == Derivation.IMAGE_REPOSITORY) {
                leaves.replaceAll(image -> TextNode.valueOf(PodSpecs.imageRepository(image.asText())));
            }
            return leaves;
        }

        /** A path without array steps or wildcards (verb, user.username, requestObject.spec.hostNetwork). */
        private static boolean plainPath(List<String> segments) {
            for (String segment : segments) {
                if (segment.endsWith("[]") || "*".equals(segment)) {
                    return false;
                }
            }
            return true;
        }

        /** What {@link #values} reads for a plain path, walked node by node without intermediate lists. */
        private List<JsonNode> plainValues(JsonNode event) {
            JsonNode node = event;
            for (String segment : segments) {
                node = node.get(segment);
                if (node == null || node.isNull()) {
                    return List.of();
                }
            }
            if (!node.isArray()) {
                return List.of(node);
            }
            List<JsonNode> leaves = new ArrayList<>(node.size());
            node.forEach(leaves::add);
            return leaves;
        }

        private static List<JsonNode> step(List<JsonNode> current, String segment) {
            List<JsonNode> next = new ArrayList<>();
            if ("*".equals(segment)) {
                for (JsonNode node : current) {
                    if (node.isContainerNode()) {
                        node.forEach(next::add);
                    }
                }
                return next;
            }
            boolean each = segment.endsWith("[]");
            String key = each ? segment.substring(0, segment.length() - 2) : segment;
            for (JsonNode node : current) {
                JsonNode child = node.get(key);
                if (child == null || child.isNull()) {
                    continue;
                }
                if (each && child.isArray()) {
                    child.forEach(next::add);
                } else {
                    next.add(child);
                }
            }
            return next;
        }
    }
}
