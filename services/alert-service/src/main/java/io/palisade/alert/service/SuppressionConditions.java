package io.palisade.alert.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.persistence.SuppressionCondition;
import io.palisade.alert.persistence.SuppressionRule;

/**
 * The entity fields a suppression rule's conditions may test, where each one is read from an alert, and the
 * matching itself (pure: no database). A condition holds when any of the alert's values for its field is one of
 * {@code in} (exact, case-sensitive, as Kubernetes names are) or contains {@code contains} (ignoring case); an alert
 * without a value for the field does not match. A rule matches when its alert type matches and every condition holds.
 */
public final class SuppressionConditions {
    /** Field name → where its values come from (entities as detection builds them, then extendedProperties). */
    public static final Map<String, String> FIELDS;
    /** Defender's entity paths, accepted as aliases of ours. */
    static final Map<String, String> ALIASES = Map.of(
            "entities.account.name", "user",
            "entities.ip.address", "ipAddress",
            "entities.host.hostname", "hostName",
            "entities.process.commandline", "commandLine",
            "entities.container.image", "image");
    /** Fields whose values are ids: only exact values, checked to be UUIDs. */
    static final List<String> ID_FIELDS = List.of("clusterId", "connectorId");

    private static final Map<String, Function<Alert, List<String>>> READERS = new LinkedHashMap<>();

    static {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("clusterId", "the alert's cluster id (the K8s-cluster entity's clusterId)");
        fields.put("clusterName", "the K8s-cluster entity's name");
        fields.put("connectorId", "the alert's connector id");
        fields.put("namespace", "namespace of a K8s-<resource> or K8s-pod entity; extendedProperties namespace, "
                + "k8s.ns.name");
        fields.put("user", "name of an account entity; extendedProperties username, user.name");
        fields.put("image", "image of a container entity; extendedProperties images (each), "
                + "container.image.repository; a value without tag or digest also matches every tag and digest");
        fields.put("resourceName", "name of a K8s-<resource> or K8s-pod entity (not the cluster)");
        fields.put("ipAddress", "address of an ip entity");
        fields.put("hostName", "hostName of a host entity");
        fields.put("commandLine", "commandLine of a process entity; extendedProperties proc.cmdline");
        FIELDS = java.util.Collections.unmodifiableMap(fields);

        READERS.put("clusterId", a -> join(List.of(String.valueOf(a.clusterId)), entities(a, "K8s-cluster", "clusterId")));
        READERS.put("clusterName", a -> entities(a, "K8s-cluster", "name"));
        READERS.put("connectorId", a -> List.of(String.valueOf(a.connectorId)));
        READERS.put("namespace", a -> join(kubernetesObjects(a, "namespace"),
                properties(a, "namespace"), properties(a, "k8s.ns.name")));
        READERS.put("user", a -> join(entities(a, "account", "name"), properties(a, "username"),
                properties(a, "user.name")));
        READERS.put("image", a -> join(entities(a, "container", "image"), split(properties(a, "images")),
                properties(a, "container.image.repository")));
        READERS.put("resourceName", a -> kubernetesObjects(a, "name"));
        READERS.put("ipAddress", a -> entities(a, "ip", "address"));
        READERS.put("hostName", a -> entities(a, "host", "hostName"));
        READERS.put("commandLine", a -> join(entities(a, "process", "commandLine"), properties(a, "proc.cmdline")));
    }

    private SuppressionConditions() {
    }

    /** Our name of a field (case-insensitive, Defender aliases accepted), or null when unknown. */
    public static String canonicalField(String field) {
        if (field == null) {
            return null;
        }
        for (String known : FIELDS.keySet()) {
            if (known.equalsIgnoreCase(field)) {
                return known;
            }
        }
        return ALIASES.get(field.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code alertType} is matched by a rule's pattern: exact, or a prefix followed by {@code *}. */
    public static boolean typeMatches(String pattern, String alertType) {
        if (alertType == null) {
            return false;
        }
        return pattern.endsWith("*") ? alertType.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(alertType);
    }

    public static boolean matches(SuppressionRule rule, Alert alert) {
        if (rule.connectorId != null && !rule.connectorId.equals(alert.connectorId)) {
            return false;
        }
        if (!typeMatches(rule.alertType, alert.alertType)) {
            return false;
        }
        for (SuppressionCondition condition : rule.conditions == null ? List.<SuppressionCondition> of()
                : rule.conditions) {
            if (!holds(condition, alert)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(SuppressionCondition condition, Alert alert) {
        Function<Alert, List<String>> reader = READERS.get(condition.field());
        if (reader == null) {
            return false;
        }
        List<String> values = reader.apply(alert);
        if (condition.contains() != null) {
            String needle = condition.contains().toLowerCase(Locale.ROOT);
            return values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(needle));
        }
        List<String> wanted = condition.in() == null ? List.of() : condition.in();
        boolean image = "image".equals(condition.field());
        boolean id = ID_FIELDS.contains(condition.field());
        return values.stream().anyMatch(v -> wanted.stream().anyMatch(w -> image ? imageMatches(w, v)
                : id ? w.equalsIgnoreCase(v) : w.equals(v)));
    }

    /** "registry/app" matches "registry/app", "registry/app:1.2" and "registry/app@sha256:…"; a tagged value only itself. */
    static boolean imageMatches(String wanted, String actual) {
        if (actual.equals(wanted)) {
            return true;
        }
        if (!actual.startsWith(wanted) || actual.length() == wanted.length()) {
            return false;
        }
        String rest = actual.substring(wanted.length());
        return rest.startsWith("@") || (rest.startsWith(":") && !rest.contains("/"));
    }

    private static List<String> entities(Alert alert, String type, String key) {
        List<String> values = new ArrayList<>();
        if (alert.entities != null) {
            for (Map<String, Object> entity : alert.entities) {
                if (type.equals(entity.get("type"))) {
                    add(values, entity.get(key));
                }
            }
        }
        return values;
    }

    /** Names or namespaces of the Kubernetes objects an alert is about: K8s-<resource> entities except the cluster. */
    private static List<String> kubernetesObjects(Alert alert, String key) {
        List<String> values = new ArrayList<>();
        if (alert.entities != null) {
            for (Map<String, Object> entity : alert.entities) {
                Object type = entity.get("type");
                if (type instanceof String t && t.startsWith("K8s-") && !"K8s-cluster".equals(t)) {
                    add(values, entity.get(key));
                }
            }
        }
        return values;
    }

    private static List<String> properties(Alert alert, String key) {
        List<String> values = new ArrayList<>();
        if (alert.extendedProperties != null) {
            add(values, alert.extendedProperties.get(key));
        }
        return values;
    }

    /** Detection joins the values of a multi-valued property with ", " (e.g. a pod's images). */
    private static List<String> split(List<String> joined) {
        List<String> values = new ArrayList<>();
        for (String value : joined) {
            for (String part : value.split(",")) {
                add(values, part.trim());
            }
        }
        return values;
    }

    private static void add(List<String> values, Object value) {
        if (value != null && !value.toString().isBlank()) {
            values.add(value.toString());
        }
    }

    @SafeVarargs
    private static List<String> join(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all.stream().filter(Objects::nonNull).distinct().toList();
    }
}
