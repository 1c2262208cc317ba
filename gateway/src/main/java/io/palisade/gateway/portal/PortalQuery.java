package io.palisade.gateway.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.MultivaluedMap;

/** Carries a page's filter parameters on to the API call, keeping only the ones the API knows and that are set. */
public final class PortalQuery {
    private PortalQuery() {
    }

    public static Map<String, String> pick(MultivaluedMap<String, String> params, String... names) {
        Map<String, String> picked = new LinkedHashMap<>();
        for (String name : names) {
            String value = params.getFirst(name);
            if (value != null && !value.isBlank()) {
                picked.put(name, value.trim());
            }
        }
        return picked;
    }

    public static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** {@code path?query}, or just the path when there is nothing to add. */
    public static String withQuery(String path, Map<String, String> params) {
        String query = encode(params);
        return query.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + query;
    }

    /** A path segment from the user, encoded so it can never change the path it is put into. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
