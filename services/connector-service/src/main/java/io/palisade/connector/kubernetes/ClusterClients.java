package io.palisade.connector.kubernetes;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.palisade.connector.persistence.Cluster;
import io.palisade.connector.service.KubernetesApiAccess;

/**
 * One Kubernetes client per cluster, built from its stored access and reused until the cluster changes (a new
 * version of the cluster record closes and replaces it) or is removed.
 */
@ApplicationScoped
public class ClusterClients {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private record Cached(long version, KubernetesClient client) {
    }

    private final Map<UUID, Cached> clients = new ConcurrentHashMap<>();

    /** The client for this cluster's current access. */
    public KubernetesClient clientFor(Cluster cluster, KubernetesApiAccess access) {
        Cached cached = clients.compute(cluster.id, (id, existing) -> {
            if (existing != null && existing.version() == cluster.version) {
                return existing;
            }
            if (existing != null) {
                existing.client().close();
            }
            return new Cached(cluster.version, build(access));
        });
        return cached.client();
    }

    /** The cluster is gone or its access was removed: close its client. */
    public void forget(UUID clusterId) {
        Cached cached = clients.remove(clusterId);
        if (cached != null) {
            cached.client().close();
        }
    }

    @PreDestroy
    void closeAll() {
        clients.values().forEach(c -> c.client().close());
        clients.clear();
    }

    static KubernetesClient build(KubernetesApiAccess access) {
        Config config;
        if (access.kubeconfig() != null && !access.kubeconfig().isBlank()) {
            config = Config.fromKubeconfig(access.kubeconfig());
        } else {
            ConfigBuilder builder = new ConfigBuilder(Config.empty())
                    .withMasterUrl(access.serverUrl())
                    .withOauthToken(access.bearerToken());
            if (access.certificateAuthorityData() != null && !access.certificateAuthorityData().isBlank()) {
                builder.withCaCertData(access.certificateAuthorityData().trim());
            }
            config = builder.build();
        }
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
