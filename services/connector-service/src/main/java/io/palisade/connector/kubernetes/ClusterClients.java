package io.palisade.connector.kubernetes;

import java.time.Instant;
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
 * version of the cluster record closes and replaces it) or is removed. Each replica has its own clients: one that
 * did not handle a change learns of it on the next use of the client or, for clusters it never uses again, when
 * {@link #retainOnly} runs on schedule.
 */
@ApplicationScoped
public class ClusterClients {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private record Cached(long version, KubernetesClient client, Instant builtAt) {
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
            return new Cached(cluster.version, build(access), Instant.now());
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

    /**
     * Closes the clients of clusters that are gone, lost their access or changed since their client was built: the
     * replica that handled the change closed its own client, not this one's. {@code current} holds every cluster
     * with access and its version as read at {@code readAt}; clients built after that are newer than the read and
     * kept.
     */
    public void retainOnly(Map<UUID, Long> current, Instant readAt) {
        clients.forEach((id, cached) -> {
            Long version = current.get(id);
            boolean stale = version == null || version != cached.version();
            if (stale && cached.builtAt().isBefore(readAt) && clients.remove(id, cached)) {
                cached.client().close();
            }
        });
    }

    /** Whether a client for the cluster is open. */
    boolean isOpenFor(UUID clusterId) {
        return clients.containsKey(clusterId);
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
