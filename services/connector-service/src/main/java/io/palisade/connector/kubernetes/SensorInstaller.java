package io.palisade.connector.kubernetes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** Installs or upgrades the sensor by server-side apply of the cluster kit's manifests (idempotent). */
@ApplicationScoped
public class SensorInstaller {
    private static final Logger LOG = Logger.getLogger(SensorInstaller.class);
    static final String FIELD_MANAGER = "palisade";

    /** Applies every manifest; answers "Kind/namespace/name" of each object applied. */
    public List<String> apply(KubernetesClient client, String gatewayUrl, String ingestToken) {
        String manifests = ClusterKit.sensorManifests(gatewayUrl, ingestToken);
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8)))
                .items();
        return objects.stream().map(object -> {
            apply(client, object);
            String ns = object.getMetadata().getNamespace();
            return object.getKind() + "/" + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
        }).toList();
    }

    private static void apply(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            // An API server (or proxy) without apply semantics refuses the media type (415), or treats the apply as
            // a plain patch, which finds no object to patch (404): create or update instead.
            if (e.getCode() != 415 && e.getCode() != 404) {
                throw e;
            }
            LOG.infof("Server-side apply not supported (%d) for %s %s; creating or updating it instead", e.getCode(),
                    object.getKind(), object.getMetadata().getName());
            client.resource(object).createOr(NonDeletingOperation::update);
        }
    }
}
