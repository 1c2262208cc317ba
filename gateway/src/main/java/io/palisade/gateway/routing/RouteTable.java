package io.palisade.gateway.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.gateway.config.GatewayConfig;

/**
 * Which service owns which path: {@code /api/<resource>} by its first segment, {@code /ingest/**} by detection.
 * One table, so a new resource is one line here.
 */
@ApplicationScoped
public class RouteTable {
    /** A service that requests are forwarded to. */
    public record Upstream(String name, String baseUrl) {
    }

    private final Map<String, Upstream> apiResources = new LinkedHashMap<>();
    private final Upstream ingest;

    public RouteTable(GatewayConfig.Services services) {
        Upstream connector = new Upstream("connector-service", trim(services.connector().url()));
        Upstream plan = new Upstream("plan-service", trim(services.plan().url()));
        Upstream detection = new Upstream("detection-service", trim(services.detection().url()));
        Upstream alert = new Upstream("alert-service", trim(services.alert().url()));
        apiResources.put("connectors", connector);
        apiResources.put("plans", plan);
        apiResources.put("rules", detection);
        apiResources.put("audit-logs", detection);
        apiResources.put("threat-intel", detection);
        apiResources.put("alerts", alert);
        apiResources.put("suppression-rules", alert);
        apiResources.put("exports", alert);
        this.ingest = detection;
    }

    /** The owner of an {@code /api/...} path, if any. */
    public Optional<Upstream> forApiPath(String path) {
        String rest = path.substring("/api/".length());
        int slash = rest.indexOf('/');
        String resource = slash < 0 ? rest : rest.substring(0, slash);
        return Optional.ofNullable(apiResources.get(resource));
    }

    public Upstream forIngest() {
        return ingest;
    }

    public Map<String, Upstream> apiResources() {
        return Map.copyOf(apiResources);
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
