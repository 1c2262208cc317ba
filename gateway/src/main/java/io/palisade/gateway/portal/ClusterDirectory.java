package io.palisade.gateway.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every cluster the user may see, with its connector: for filters, the overview's protected/unprotected count and the
 * recommendations list. Reads connectors, then each connector's clusters (the API pages them; a portal page shows at
 * most a few hundred).
 */
public class ClusterDirectory {
    private static final int MAX = 500;
    private final PortalApi api;

    public ClusterDirectory(PortalApi api) {
        this.api = api;
    }

    public record ClusterEntry(String id, String name, String kind, String connectorId, String connectorName,
            String environment) {
    }

    public List<Map<String, Object>> connectors() {
        return api.items(api.get("/api/connectors?top=" + MAX));
    }

    public List<ClusterEntry> all() {
        List<ClusterEntry> clusters = new ArrayList<>();
        for (Map<String, Object> connector : connectors()) {
            String connectorId = String.valueOf(connector.get("id"));
            for (Map<String, Object> cluster : api.items(api.get("/api/connectors/" + connectorId
                    + "/clusters?top=" + MAX))) {
                clusters.add(new ClusterEntry(String.valueOf(cluster.get("id")), String.valueOf(cluster.get("name")),
                        String.valueOf(cluster.get("kind")), connectorId, String.valueOf(connector.get("displayName")),
                        String.valueOf(connector.get("environment"))));
            }
        }
        return clusters;
    }
}
