package io.palisade.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One overlay of k8s/overlays rendered the way a platform team applies it ({@code kubectl kustomize}), its objects
 * loaded with the fabric8 model: typed for Kubernetes' own kinds, generic for the operators' custom resources.
 * The production overlay is rendered from a copy of k8s/ after running its documented {@code generate-secrets}.
 */
final class RenderedOverlay {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();

    final String name;
    final List<HasMetadata> objects;

    private RenderedOverlay(String name, List<HasMetadata> objects) {
        this.name = name;
        this.objects = objects;
    }

    /** Every overlay under k8s/overlays. */
    static Stream<RenderedOverlay> all() throws IOException {
        try (Stream<Path> dirs = Files.list(Repository.K8S.resolve("overlays"))) {
            List<String> names = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                throw new AssertionError("no overlays under k8s/overlays");
            }
            return names.stream().map(RenderedOverlay::of);
        }
    }

    static RenderedOverlay of(String name) {
        return CACHE.computeIfAbsent(name, n -> render(n, Repository.K8S.resolve("overlays").resolve(n)));
    }

    /** Any other kustomization of the repository (the cluster kit's sensor), rendered as it is. */
    static RenderedOverlay at(String name, Path kustomization) {
        return CACHE.computeIfAbsent(name, n -> render(n, kustomization));
    }

    private static RenderedOverlay render(String name, Path overlay) {
        try {
            Path k8s = Repository.K8S;
            Path generator = overlay.resolve("generate-secrets");
            if (Files.exists(generator)) {
                // render a copy, with the installation's secrets made the documented way
                Path copy = Files.createTempDirectory("palisade-k8s-");
                copyTree(k8s, copy.resolve("k8s"));
                overlay = copy.resolve("k8s/overlays").resolve(name);
                run(List.of(overlay.resolve("generate-secrets").toString()), overlay);
            }
            String yaml = run(List.of(kubectl(), "kustomize", overlay.toString()), overlay);
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : yaml.split("(?m)^---$")) {
                if (!document.isBlank()) {
                    objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
                }
            }
            return new RenderedOverlay(name, List.copyOf(objects));
        } catch (IOException e) {
            throw new AssertionError("could not render overlay " + name + ": " + e, e);
        }
    }

    static String kubectl() {
        return System.getProperty("palisade.kubectl", "kubectl");
    }

    private static String run(List<String> command, Path dir) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + " (" + e.getMessage() + "): ./palisade test installs "
                    + "kubectl when it is missing, or put kubectl 1.27+ on the PATH (-Dpalisade.kubectl=<path>)", e);
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path relative = from.relativize(source);
                if (relative.startsWith("target") || relative.startsWith("src")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!relative.toString().startsWith("overlays/production/secrets")) {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- lookups

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Objects of a kind, whatever their model class (custom resources are generic). */
    List<HasMetadata> kind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    Optional<HasMetadata> find(String kind, String name) {
        return kind(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T require(Class<T> type, String name) {
        return find(type, name).orElseThrow(
                () -> new AssertionError(this.name + ": no " + type.getSimpleName() + " named " + name));
    }

    /** A custom resource (or any object) as JSON, for reading the operators' fields. */
    static JsonNode json(HasMetadata object) {
        return JSON.valueToTree(object);
    }

    JsonNode requireJson(String kind, String name) {
        return json(find(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + " named " + name)));
    }

    /** The one object of a kind the overlay must have (one Kafka cluster, one PostgreSQL cluster, one realm). */
    JsonNode single(String kind) {
        List<JsonNode> objects = json(kind);
        if (objects.size() != 1) {
            throw new AssertionError(name + ": " + objects.size() + " objects of kind " + kind + ", expected one");
        }
        return objects.get(0);
    }

    List<JsonNode> json(String kind) {
        return kind(kind).stream().map(RenderedOverlay::json).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
