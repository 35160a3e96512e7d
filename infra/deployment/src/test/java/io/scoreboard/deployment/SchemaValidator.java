package io.scoreboard.deployment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether one object conforms to the schema of its apiVersion and kind, offline:
 * <ul>
 *   <li>Kubernetes' own kinds and the Prometheus Operator's: fabric8's typed model (generated from the
 *   Kubernetes OpenAPI document and the operator's CRDs); Strimzi's kinds: Strimzi's own typed model (from
 *   which Strimzi generates its CRDs). Each is read strictly: an unknown field anywhere and a value of the
 *   wrong type fail, with the path to it;</li>
 *   <li>CloudNativePG's kinds (no Java model exists): the JSON Schemas under schemas/cloudnative-pg, taken
 *   from its CRDs (that directory's README says which and how).</li>
 * </ul>
 * A kind with no schema fails too: nothing is waved through.
 */
final class SchemaValidator {

    private static final Map<String, String> TYPED = Map.ofEntries(
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("batch/v1/Job", "io.fabric8.kubernetes.api.model.batch.v1.Job"),
            Map.entry("batch/v1/CronJob", "io.fabric8.kubernetes.api.model.batch.v1.CronJob"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor"),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor"),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule"),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"));

    private static final Map<String, String> JSON_SCHEMAS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", "cluster.postgresql.cnpg.io.v1.yaml",
            "postgresql.cnpg.io/v1/Database", "database.postgresql.cnpg.io.v1.yaml",
            "postgresql.cnpg.io/v1/ScheduledBackup", "scheduledbackup.postgresql.cnpg.io.v1.yaml",
            "barmancloud.cnpg.io/v1/ObjectStore", "objectstore.barmancloud.cnpg.io.v1.yaml");

    /** Reads typed models the way the API server's strict field validation reads manifests. */
    private static final JsonMapper STRICT = strictMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaValidator() {}

    /** What is wrong with the object; empty when it conforms. */
    static List<String> problems(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        if (TYPED.containsKey(type)) {
            return typedProblems(object, TYPED.get(type));
        }
        if (JSON_SCHEMAS.containsKey(type)) {
            return schema(JSON_SCHEMAS.get(type)).validate(object).stream().map(ValidationMessage::getMessage).toList();
        }
        return List.of("no schema for " + type + ": add its model or CRD schema to SchemaValidator");
    }

    private static List<String> typedProblems(JsonNode object, String className) {
        try {
            STRICT.treeToValue(object, Class.forName(className));
            return List.of();
        } catch (JsonMappingException e) {
            return List.of(e.getOriginalMessage() + " at " + path(e));
        } catch (IOException e) {
            return List.of(e.getMessage());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the model class " + className + " is not on the test class path", e);
        }
    }

    /** The field path of a mapping failure, e.g. spec.template.spec.containers[0].replicaz. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static JsonSchema schema(String file) {
        return SCHEMAS.computeIfAbsent(file, f -> {
            try (InputStream in = SchemaValidator.class.getResourceAsStream("/schemas/cloudnative-pg/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("schema " + f + " is missing from the test resources");
                }
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Manifests.YAML.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The models keep unknown fields in an "additional properties" map (so that a client can round-trip objects
     * of newer servers). Here nothing may be unknown: any-setters are ignored and unknown fields fail. Scalars are
     * not coerced either: "3" is no integer and 3 is no string, as for the API server.
     */
    private static JsonMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        return Boolean.FALSE;
                    }

                    @Override
                    public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                        return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }
}
