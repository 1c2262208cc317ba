package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the pod spec in what a request sends: a Pod's {@code spec}, a workload's {@code spec.template.spec}
 * (Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job) or a CronJob's
 * {@code spec.jobTemplate.spec.template.spec}. A privileged container in a Deployment is thus seen when the
 * Deployment is created, updated or patched, not only when its pods are.
 */
final class PodSpecs {
    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");

    private PodSpecs() {
    }

    /**
     * The object a request results in: what was sent for a create or update; for a patch, the object as returned
     * (RequestResponse level; a JSON or merge patch sends only the change), else the patch if it is itself an object.
     */
    static JsonNode object(JsonNode event) {
        JsonNode request = event.get("requestObject");
        JsonNode response = event.get("responseObject");
        if ("patch".equals(event.path("verb").asText()) && response != null && response.isObject()
                && response.has("spec")) {
            return response;
        }
        return request != null && request.isObject() ? request : null;
    }

    static List<JsonNode> of(JsonNode event) {
        JsonNode object = object(event);
        if (object == null) {
            return List.of();
        }
        JsonNode spec = object.path("spec");
        JsonNode cronJobTemplate = spec.path("jobTemplate").path("spec").path("template").path("spec");
        if (cronJobTemplate.isObject()) {
            return List.of(cronJobTemplate);
        }
        JsonNode template = spec.path("template").path("spec");
        if (template.isObject()) {
            return List.of(template);
        }
        boolean pod = "Pod".equals(object.path("kind").asText())
                || "pods".equals(event.path("objectRef").path("resource").asText());
        return pod && spec.isObject() ? List.of(spec) : List.of();
    }

    static List<JsonNode> containers(JsonNode event) {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode spec : of(event)) {
            for (String list : CONTAINER_LISTS) {
                spec.path(list).forEach(containers::add);
            }
        }
        return containers;
    }

    /** The image without tag and digest: {@code registry:5000/team/app:1.2@sha256:…} → {@code registry:5000/team/app}. */
    static String imageRepository(String image) {
        String repository = image;
        int digest = repository.indexOf('@');
        if (digest >= 0) {
            repository = repository.substring(0, digest);
        }
        int tag = repository.lastIndexOf(':');
        if (tag > repository.lastIndexOf('/')) {
            repository = repository.substring(0, tag);
        }
        return repository;
    }

    /**
     * The workload an object belongs to: its first owner's name, else its own name; a name ending in the
     * {@code pod-template-hash} label (a Deployment's ReplicaSet, and that ReplicaSet's pods) loses that suffix, so
     * a Deployment, its ReplicaSet and its pods all name the Deployment.
     */
    static String workload(JsonNode event) {
        JsonNode object = object(event);
        JsonNode metadata = object == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : object.path("metadata");
        String name = metadata.path("ownerReferences").path(0).path("name").asText(null);
        if (name == null) {
            name = event.path("objectRef").path("name").asText(null);
        }
        if (name == null) {
            name = metadata.path("name").asText(null);
        }
        if (name == null) {
            name = metadata.path("generateName").asText(null);
            if (name != null && name.endsWith("-")) {
                name = name.substring(0, name.length() - 1);
            }
        }
        String hash = metadata.path("labels").path("pod-template-hash").asText(null);
        if (name != null && hash != null && name.endsWith("-" + hash)) {
            name = name.substring(0, name.length() - hash.length() - 1);
        }
        return name;
    }
}
