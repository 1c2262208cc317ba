package io.palisade.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are: the test runs from k8s/, the services live beside it. */
final class Repository {
    static final Path ROOT = Path.of(System.getProperty("palisade.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");

    static Path file(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError("missing file " + path);
        }
        return path;
    }

    private Repository() {
    }
}
