package io.scoreboard.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoreboard.deployment.Manifests.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The containers of the workloads (Deployments, Jobs, CronJobs) and what their environment resolves to. */
final class Containers {

    /** One container, and the pod spec and manifest it belongs to. */
    record Container(Manifest manifest, JsonNode podSpec, JsonNode spec) {

        String name() {
            return spec.path("name").asText();
        }

        String image() {
            return spec.path("image").asText();
        }

        List<JsonNode> env() {
            List<JsonNode> env = new ArrayList<>();
            spec.path("env").forEach(env::add);
            return env;
        }

        /**
         * Each variable's value as the container would see it: literal values as written, ConfigMap keys from
         * the ConfigMaps under infra/k8s, Secret keys as a marker naming the Secret (their values are never here).
         */
        Map<String, String> resolvedEnv() {
            Map<String, String> resolved = new LinkedHashMap<>();
            for (JsonNode variable : env()) {
                String name = variable.path("name").asText();
                JsonNode from = variable.path("valueFrom");
                if (from.has("configMapKeyRef")) {
                    resolved.put(name, configMapValue(from.get("configMapKeyRef")));
                } else if (from.has("secretKeyRef")) {
                    JsonNode ref = from.get("secretKeyRef");
                    resolved.put(name, "secret:" + ref.path("name").asText() + "/" + ref.path("key").asText());
                } else {
                    resolved.put(name, variable.path("value").asText());
                }
            }
            return resolved;
        }

        String env(String name) {
            String value = resolvedEnv().get(name);
            if (value == null) {
                throw new AssertionError(this + " does not set " + name);
            }
            return value;
        }

        @Override
        public String toString() {
            return manifest + " container " + name();
        }
    }

    private Containers() {}

    static List<Container> all() {
        List<Container> containers = new ArrayList<>();
        for (Manifest m : Manifests.all()) {
            JsonNode podSpec = switch (m.kind()) {
                case "Deployment", "Job" -> m.object().at("/spec/template/spec");
                case "CronJob" -> m.object().at("/spec/jobTemplate/spec/template/spec");
                default -> null;
            };
            if (podSpec != null) {
                podSpec.path("initContainers").forEach(c -> containers.add(new Container(m, podSpec, c)));
                podSpec.path("containers").forEach(c -> containers.add(new Container(m, podSpec, c)));
            }
        }
        return containers;
    }

    static List<Container> withImage(String image) {
        List<Container> found = all().stream().filter(c -> c.image().equals(image)).toList();
        if (found.isEmpty()) {
            throw new AssertionError("no container runs " + image);
        }
        return found;
    }

    static String configMapValue(JsonNode ref) {
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        return Manifests.ofKind("ConfigMap").stream()
                .filter(c -> c.name().equals(name) && c.object().path("data").has(key))
                .map(c -> c.object().path("data").get(key).asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " with key " + key + " under infra/k8s"));
    }
}
