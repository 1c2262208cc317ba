package io.palisade.connector.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The files of {@code k8s/cluster-kit/} (shipped inside this service), with a cluster's values filled in: the same
 * text is applied by the install action and written by the Fix scripts.
 */
public final class ClusterKit {
    public static final List<String> SENSOR = List.of("sensor/00-namespace.yaml", "sensor/10-forwarder.yaml",
            "sensor/20-sensor.yaml");
    public static final String AUDIT_POLICY = "audit-policy.yaml";
    public static final String AUDIT_WEBHOOK = "audit-webhook-kubeconfig.yaml";

    private ClusterKit() {
    }

    /** The sensor manifests as one multi-document YAML, for this cluster's gateway URL and ingest token. */
    public static String sensorManifests(String gatewayUrl, String ingestToken) {
        StringBuilder all = new StringBuilder();
        for (String file : SENSOR) {
            all.append("---\n").append(fill(file, gatewayUrl, ingestToken));
        }
        return all.toString();
    }

    /** The placeholder the kit's files use for the cluster's ingest token. */
    public static final String TOKEN_PLACEHOLDER = "PALISADE_INGEST_TOKEN";

    /** One kit file with the gateway URL and the cluster's token filled in. */
    public static String fill(String file, String gatewayUrl, String ingestToken) {
        return withGateway(file, gatewayUrl).replace(TOKEN_PLACEHOLDER, ingestToken);
    }

    /** One kit file with the gateway URL filled in and the token placeholder left for whoever runs it. */
    public static String withGateway(String file, String gatewayUrl) {
        return raw(file).replace("PALISADE_GATEWAY_URL", trimSlash(gatewayUrl));
    }

    public static String raw(String file) {
        try (InputStream in = ClusterKit.class.getClassLoader().getResourceAsStream("cluster-kit/" + file)) {
            if (in == null) {
                throw new IllegalStateException("cluster-kit/" + file + " is not packaged with connector-service");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cluster-kit/" + file, e);
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
