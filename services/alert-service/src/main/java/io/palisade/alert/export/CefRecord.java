package io.palisade.alert.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.palisade.alert.persistence.Alert;

/**
 * An alert change as one syslog line: an RFC 5424 header ({@code <PRI>1 TIMESTAMP HOSTNAME palisade - - - }) and a
 * CEF body ({@code CEF:0|Palisade|Palisade|version|alertType|alertDisplayName|severity|extensions}). The README's
 * "Export" section has the field mapping. The line never holds a CR or LF, so LF framing over TCP is safe.
 */
public final class CefRecord {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private CefRecord() {
    }

    /** The whole syslog record, without the trailing LF of the TCP framing. */
    public static String syslogLine(Alert alert, String changeKind, int facility, String hostname, String version,
            Instant now) {
        int pri = facility * 8 + ExportSeverity.syslog(alert.severity);
        return "<" + pri + ">1 " + RFC3339.format(now) + " " + headerToken(hostname) + " palisade - - - "
                + cef(alert, changeKind, version);
    }

    /** The CEF body. */
    public static String cef(Alert alert, String changeKind, String version) {
        StringBuilder line = new StringBuilder("CEF:0|Palisade|Palisade|")
                .append(header(version)).append('|')
                .append(header(alert.alertType)).append('|')
                .append(header(alert.displayName)).append('|')
                .append(ExportSeverity.cef(alert.severity)).append('|');
        String separator = "";
        for (Map.Entry<String, String> field : extensions(alert, changeKind).entrySet()) {
            line.append(separator).append(field.getKey()).append('=').append(extension(field.getValue()));
            separator = " ";
        }
        return line.toString();
    }

    /** The extension fields in their order; fields without a value are left out. */
    static Map<String, String> extensions(Alert alert, String changeKind) {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "rt", millis(alert.endTimeUtc));
        put(fields, "start", millis(alert.startTimeUtc));
        put(fields, "end", millis(alert.endTimeUtc));
        put(fields, "externalId", alert.id);
        put(fields, "act", changeKind);
        put(fields, "msg", alert.description);
        put(fields, "suser", user(alert));
        put(fields, "cnt", alert.extendedProperties == null ? null : alert.extendedProperties.get("count"));
        labelled(fields, "cs1", "cluster", cluster(alert));
        labelled(fields, "cs2", "namespace", namespace(alert));
        labelled(fields, "cs3", "tactic", alert.intent);
        labelled(fields, "cs4", "status", alert.status == null ? null : alert.status.name());
        labelled(fields, "cs5", "connectorId", Objects.toString(alert.connectorId, null));
        labelled(fields, "cs6", "clusterId", Objects.toString(alert.clusterId, null));
        labelled(fields, "flexString1", "techniques",
                alert.techniques == null || alert.techniques.isEmpty() ? null : String.join(",", alert.techniques));
        return fields;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value);
        }
    }

    private static void labelled(Map<String, String> fields, String key, String label, String value) {
        if (value != null && !value.isBlank()) {
            fields.put(key, value);
            fields.put(key + "Label", label);
        }
    }

    private static String millis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }

    /** The cluster's name (its K8s-cluster entity), else the compromised entity. */
    private static String cluster(Alert alert) {
        String name = entityValue(alert.entities, "K8s-cluster", "name");
        return name != null ? name : alert.compromisedEntity;
    }

    /** The account behind the activity (the {@code account} entity). */
    private static String user(Alert alert) {
        return entityValue(alert.entities, "account", "name");
    }

    /** The first namespace an entity names, else the sensor's {@code k8s.ns.name}. */
    private static String namespace(Alert alert) {
        if (alert.entities != null) {
            for (Map<String, Object> entity : alert.entities) {
                Object namespace = entity.get("namespace");
                if (namespace != null && !namespace.toString().isBlank()) {
                    return namespace.toString();
                }
            }
        }
        return alert.extendedProperties == null ? null : alert.extendedProperties.get("k8s.ns.name");
    }

    private static String entityValue(List<Map<String, Object>> entities, String type, String key) {
        if (entities != null) {
            for (Map<String, Object> entity : entities) {
                if (type.equals(entity.get("type")) && entity.get(key) != null) {
                    return entity.get(key).toString();
                }
            }
        }
        return null;
    }

    /** CEF header field: backslash and pipe escaped; line breaks are not allowed there and become spaces. */
    static String header(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** CEF extension value: backslash and equals escaped, line breaks as {@code \r} and {@code \n}. */
    static String extension(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An RFC 5424 header field: printable US-ASCII without spaces, at most 255 characters, {@code -} when empty. */
    static String headerToken(String value) {
        if (value == null || value.isBlank()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (out.length() == 255) {
                break;
            }
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.toString();
    }
}
