package io.scoreboard.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scoreboard.deployment.Manifests.Manifest;
import io.scoreboard.startup.EventTopicSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest under infra/k8s parses and conforms to its Kubernetes or CRD schema (SchemaValidator). */
class ManifestSchemaTest {

    static Stream<Manifest> manifests() {
        return Manifests.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void conformsToItsSchema(Manifest manifest) {
        assertThat(SchemaValidator.problems(manifest.object())).as(manifest.toString()).isEmpty();
    }

    @Test
    void everyKindTheDeploymentNeedsIsThere() {
        Set<String> kinds = new HashSet<>();
        Manifests.all().forEach(m -> kinds.add(m.kind()));
        assertThat(kinds).contains("Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Database", "ScheduledBackup",
                "ObjectStore", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor",
                "PodMonitor", "Job", "CronJob", "PrometheusRule", "ConfigMap");
    }

    // The validator itself must be able to fail, and say where: each broken copy below is refused.

    @Test
    void aMisspelledFieldIsRefusedByName() {
        ObjectNode deployment = copyOf("Deployment", "command-service");
        ObjectNode spec = (ObjectNode) deployment.get("spec");
        spec.set("replicaz", spec.remove("replicas"));
        assertThat(SchemaValidator.problems(deployment)).singleElement().asString()
                .contains("replicaz").contains("spec");
    }

    @Test
    void aMisspelledFieldDeepInAContainerIsRefusedWithItsPath() {
        ObjectNode deployment = copyOf("Deployment", "command-service");
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.set("readinessProbes", container.remove("readinessProbe"));
        assertThat(SchemaValidator.problems(deployment)).singleElement().asString()
                .contains("readinessProbes").contains("containers[0]");
    }

    @Test
    void replicasAsAStringIsRefused() {
        ObjectNode deployment = copyOf("Deployment", "command-service");
        ((ObjectNode) deployment.get("spec")).put("replicas", "2");
        assertThat(SchemaValidator.problems(deployment)).singleElement().asString().contains("replicas");
    }

    @Test
    void anEnvironmentValueThatIsNotAStringIsRefused() {
        ObjectNode deployment = copyOf("Deployment", "command-service");
        ArrayNode env = (ArrayNode) deployment.at("/spec/template/spec/containers/0/env");
        ObjectNode variable = (ObjectNode) env.get(env.size() - 1);
        variable.put("value", 3);
        assertThat(SchemaValidator.problems(deployment)).singleElement().asString().contains("value");
    }

    @Test
    void aMisspelledStrimziFieldIsRefused() {
        ObjectNode topic = copyOf("KafkaTopic", EventTopicSettings.DEFAULT_TOPIC);
        ((ObjectNode) topic.get("spec")).set("replica", ((ObjectNode) topic.get("spec")).remove("replicas"));
        assertThat(SchemaValidator.problems(topic)).singleElement().asString().contains("replica");
    }

    @Test
    void partitionsAsWordsAreRefused() {
        ObjectNode topic = copyOf("KafkaTopic", EventTopicSettings.DEFAULT_TOPIC);
        ((ObjectNode) topic.get("spec")).put("partitions", "twelve");
        assertThat(SchemaValidator.problems(topic)).singleElement().asString().contains("partitions");
    }

    @Test
    void aMisspelledPrometheusOperatorFieldIsRefused() {
        ObjectNode monitor = copyOf("ServiceMonitor", "command-service");
        ObjectNode endpoint = (ObjectNode) monitor.at("/spec/endpoints/0");
        endpoint.set("pth", endpoint.remove("path"));
        assertThat(SchemaValidator.problems(monitor)).singleElement().asString().contains("pth");
    }

    @Test
    void aMisspelledCloudNativePgFieldIsRefusedByName() {
        ObjectNode cluster = copyOf("Cluster", "scoreboard-db");
        ObjectNode synchronous = (ObjectNode) cluster.at("/spec/postgresql/synchronous");
        synchronous.set("dataDurabilty", synchronous.remove("dataDurability"));
        assertThat(SchemaValidator.problems(cluster)).anySatisfy(p -> assertThat(p).contains("dataDurabilty"));
    }

    @Test
    void cloudNativePgInstancesAsAStringAreRefused() {
        ObjectNode cluster = copyOf("Cluster", "scoreboard-db");
        ((ObjectNode) cluster.get("spec")).put("instances", "3");
        assertThat(SchemaValidator.problems(cluster)).anySatisfy(p -> assertThat(p).contains("instances"));
    }

    @Test
    void aValueOutsideACloudNativePgEnumIsRefused() {
        ObjectNode backup = copyOf("ScheduledBackup", "scoreboard-db-nightly");
        ((ObjectNode) backup.get("spec")).put("method", "snapshot");
        assertThat(SchemaValidator.problems(backup)).anySatisfy(p -> assertThat(p).contains("method"));
    }

    @Test
    void aKindWithoutASchemaIsRefused() {
        ObjectNode unknown = Manifests.YAML.createObjectNode().put("apiVersion", "example.com/v1").put("kind", "Thing");
        assertThat(SchemaValidator.problems(unknown)).singleElement().asString().contains("no schema for example.com/v1/Thing");
    }

    // kustomize: what the kustomizations name exists, and nothing under infra/k8s is left out by mistake.

    @Test
    void everyFileAKustomizationNamesExists() {
        List<String> missing = new ArrayList<>();
        for (Path kustomization : Manifests.kustomizations()) {
            referencedFiles(kustomization).filter(f -> !Files.exists(f)).forEach(f -> missing.add(kustomization + " -> " + f));
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyManifestIsInAKustomizationOrIsTheOperatorsOnDemandJob() {
        Set<Path> referenced = new HashSet<>();
        for (Path kustomization : Manifests.kustomizations()) {
            referencedFiles(kustomization).forEach(referenced::add);
        }
        List<Path> loose = Manifests.yamlFiles().stream()
                .filter(f -> !f.getFileName().toString().equals(Manifests.KUSTOMIZATION))
                .filter(f -> !referenced.contains(f))
                .toList();
        // The operator CLI job is made with `kubectl create` per run (generateName), never applied with the rest.
        assertThat(loose).containsExactly(Manifests.ROOT.resolve("operator/operator-cli-job.yaml"));
    }

    @Test
    void theProductionOverlayNamesARealImageForEveryPlaceholder() {
        Set<String> placeholders = new HashSet<>();
        Containers.all().forEach(c -> placeholders.add(c.image()));
        Set<String> mapped = new HashSet<>();
        Manifests.readTree(Manifests.ROOT.resolve("overlays/production/kustomization.yaml")).path("images")
                .forEach(i -> mapped.add(i.path("name").asText()));
        assertThat(placeholders).allMatch(i -> i.startsWith("scoreboard/"), "a placeholder, scoreboard/<part>");
        assertThat(mapped).containsAll(placeholders);
    }

    @Test
    void theDashboardIsValidJsonWithPanels() {
        JsonNode dashboard = readJson(Manifests.ROOT.resolve("base/monitoring/dashboards/scoreboard.json"));
        assertThat(dashboard.path("panels").size()).isPositive();
        dashboard.path("panels").forEach(panel -> assertThat(panel.path("targets").size())
                .as("panel %s", panel.path("title")).isPositive());
    }

    /** The files a kustomization names: resources (files or directories), patches and generators' files. */
    static Stream<Path> referencedFiles(Path kustomization) {
        JsonNode k = Manifests.readTree(kustomization);
        Path dir = kustomization.getParent();
        List<Path> files = new ArrayList<>();
        k.path("resources").forEach(r -> {
            Path p = dir.resolve(r.asText()).normalize();
            files.add(Files.isDirectory(p) ? p.resolve(Manifests.KUSTOMIZATION) : p);
        });
        k.path("patches").forEach(p -> {
            if (p.has("path")) {
                files.add(dir.resolve(p.get("path").asText()).normalize());
            }
        });
        k.path("configMapGenerator").forEach(g -> g.path("files").forEach(
                f -> files.add(dir.resolve(f.asText().replaceFirst("^[^=]*=", "")).normalize())));
        return files.stream();
    }

    static JsonNode readJson(Path file) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode copyOf(String kind, String name) {
        return Manifests.one(kind, name).object().deepCopy();
    }
}
