package io.scoreboard.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Every YAML document under infra/k8s, read from the repository at test time (relative to this module's
 * directory, where Maven runs the tests). Kustomization files are kept apart: they are kustomize's input,
 * not Kubernetes objects.
 */
final class Manifests {

    static final Path ROOT = Path.of("..", "k8s").toAbsolutePath().normalize();
    static final String KUSTOMIZATION = "kustomization.yaml";

    static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()).build();

    /** One Kubernetes object: the file it is in, its place in that file, and its content. */
    record Manifest(Path file, int index, ObjectNode object) {

        String apiVersion() {
            return object.path("apiVersion").asText();
        }

        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            JsonNode metadata = object.path("metadata");
            return metadata.hasNonNull("name") ? metadata.get("name").asText() : metadata.path("generateName").asText();
        }

        @Override
        public String toString() {
            return ROOT.relativize(file) + "#" + index + " (" + kind() + " " + name() + ")";
        }
    }

    private Manifests() {}

    /** Every YAML file under infra/k8s, kustomization files included. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ROOT, e);
        }
    }

    static List<Path> kustomizations() {
        return yamlFiles().stream().filter(f -> f.getFileName().toString().equals(KUSTOMIZATION)).toList();
    }

    /** Every object of every file but the kustomizations, in file order. */
    static List<Manifest> all() {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : yamlFiles()) {
            if (!file.getFileName().toString().equals(KUSTOMIZATION)) {
                manifests.addAll(read(file));
            }
        }
        return manifests;
    }

    /** The documents of one file; a document that is not a YAML mapping is an error. */
    static List<Manifest> read(Path file) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue; // an empty document between two separators
                }
                if (!(document instanceof ObjectNode object)) {
                    throw new IllegalStateException(ROOT.relativize(file) + "#" + index + " is not a mapping: " + document);
                }
                manifests.add(new Manifest(file, index++, object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return manifests;
    }

    static JsonNode readTree(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static List<Manifest> ofKind(String kind) {
        return all().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static Manifest one(String kind, String name) {
        return find(m -> m.kind().equals(kind) && m.name().equals(name))
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " under " + ROOT));
    }

    static Optional<Manifest> find(Predicate<Manifest> which) {
        return all().stream().filter(which).findFirst();
    }
}
