package io.scoreboard.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.scoreboard.command.replication.KafkaProperties;
import io.scoreboard.command.replication.TopicChecksForDeployment;
import io.scoreboard.command.scoreboard.api.LimitChecksForDeployment;
import io.scoreboard.deployment.Containers.Container;
import io.scoreboard.deployment.Manifests.Manifest;
import io.scoreboard.query.projection.QueryKafkaProperties;
import io.scoreboard.startup.DatabaseRoles;
import io.scoreboard.startup.EnvironmentIdentity;
import io.scoreboard.startup.EnvironmentVariables;
import io.scoreboard.startup.EventTopicSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The manifests' settings agree with the application's, read from the repository at test time: the topic and
 * its settings pass the command service's own start-up checks; ports, probe paths and scrape paths are the ones
 * the services' application.yml serve; every environment variable set is one the program reads (through
 * Spring's relaxed binding for the services); memory limits leave room beyond the heap.
 */
class ApplicationAgreementTest {

    /** Variables read outside Spring's binding, and by what. */
    private static final Map<String, String> READ_OUTSIDE_SPRING = Map.of(
            "JAVA_TOOL_OPTIONS", "the JVM itself",
            "AXONIQ_UPDATE_CHECKER_DISABLED", "Axon's update checker (the root pom sets it for every test JVM)");

    /** Room a JVM needs beyond its heap: metaspace, code cache, thread stacks, direct buffers, GC structures. */
    private static final long NON_HEAP_BYTES = 512L << 20;

    private static final Path CLI_SOURCES = Path.of("..", "..", "projections", "operator-cli", "src", "main", "java");
    private static final Path MIGRATIONS_SOURCES = Path.of("src", "main", "java");
    /** A variable read by its literal name, or by its constant in EnvironmentVariables (resolved below). */
    private static final Pattern ENV_READ = Pattern.compile(
            "\\b(?:env\\.get|getenv|env\\.getOrDefault|required)\\(\\s*(?:env,\\s*)?"
                    + "(?:\"([A-Z0-9_]+)\"|EnvironmentVariables\\.([A-Z0-9_]+)\\b)");
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+[kKmMgG]?)");

    // --- Kafka ---

    @Test
    void theTopicIsTheOneBothServicesAndTheToolsUse() {
        String topic = eventTopic().object().at("/spec/topicName").asText();
        assertThat(commandKafka().topic()).isEqualTo(topic);
        assertThat(ServiceSettings.QUERY.binder(literalEnv(ServiceSettings.QUERY))
                .bindOrCreate("scoreboard.kafka", QueryKafkaProperties.class).topic()).isEqualTo(topic);
        for (Container cli : Containers.withImage("scoreboard/operator-cli")) {
            assertThat(cli.env("SCOREBOARD_TOPIC")).as(cli.toString()).isEqualTo(topic);
        }
    }

    @Test
    void theTopicPassesTheCommandServicesOwnChecks() {
        JsonNode spec = eventTopic().object().get("spec");
        Config config = topicConfig(spec);
        assertThat(EventTopicSettings.problems(config)).isEmpty();

        KafkaProperties kafka = commandKafka();
        // A cluster check that cannot fail would prove nothing: the service must be told this is a cluster.
        assertThat(kafka.replicationFactor()).isEqualTo((short) 3);
        assertThat(kafka.minInsyncReplicas()).isEqualTo(2);
        int replicas = spec.get("replicas").asInt();
        List<Node> brokers = IntStream.range(0, replicas).mapToObj(i -> new Node(i, "broker-" + i, 9092)).toList();
        List<TopicPartitionInfo> partitions = IntStream.range(0, spec.get("partitions").asInt())
                .mapToObj(p -> new TopicPartitionInfo(p, brokers.get(0), brokers, brokers)).toList();
        TopicDescription description = new TopicDescription(kafka.topic(), false, partitions);
        assertThat(TopicChecksForDeployment.clusterProblems(description, config, kafka)).isEmpty();
        // Should the service ever create the topic itself (it is gone and KafkaTopic not yet reconciled): the same.
        assertThat(kafka.partitions()).isEqualTo(spec.get("partitions").asInt());
        assertThat((int) kafka.replicationFactor()).isEqualTo(replicas);
    }

    @Test
    void theTopicTakesTheLargestEventTheCommandServiceAllowsAndEveryRecordItsProducerSends() {
        long maxMessageBytes = eventTopic().object().at("/spec/config/max.message.bytes").asLong();
        Binder command = ServiceSettings.COMMAND.binder(literalEnv(ServiceSettings.COMMAND));
        assertThat(LimitChecksForDeployment.problems(command, maxMessageBytes, commandKafka().topic())).isEmpty();
        assertThat(maxMessageBytes).isGreaterThanOrEqualTo(LimitChecksForDeployment.producerMaxRequestSize(command));
    }

    @Test
    void theBrokersCanKeepTwoReplicasInSyncWithOneDown() {
        JsonNode kafkaConfig = Manifests.one("Kafka", "scoreboard-kafka").object().at("/spec/kafka/config");
        int brokers = Manifests.ofKind("KafkaNodePool").stream()
                .filter(p -> IntStream.range(0, p.object().at("/spec/roles").size())
                        .anyMatch(i -> p.object().at("/spec/roles/" + i).asText().equals("broker")))
                .mapToInt(p -> p.object().at("/spec/replicas").asInt()).sum();
        JsonNode topic = eventTopic().object().get("spec");
        assertThat(brokers).isGreaterThanOrEqualTo(topic.get("replicas").asInt());
        assertThat(kafkaConfig.get("min.insync.replicas").asInt())
                .isEqualTo(topic.at("/config/min.insync.replicas").asInt())
                .isLessThan(topic.get("replicas").asInt());
        assertThat(kafkaConfig.get("unclean.leader.election.enable").asBoolean()).isFalse();
        assertThat(eventTopic().object().at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("scoreboard-kafka");
    }

    @Test
    void theServicesAndToolsReachTheBrokersThroughTheClustersBootstrapService() {
        String bootstrap = "scoreboard-kafka-kafka-bootstrap:" + Manifests.one("Kafka", "scoreboard-kafka").object()
                .at("/spec/kafka/listeners/0/port").asInt();
        assertThat(commandKafka().bootstrapServers()).isEqualTo(bootstrap);
        assertThat(ServiceSettings.QUERY.binder(literalEnv(ServiceSettings.QUERY))
                .bindOrCreate("scoreboard.kafka", QueryKafkaProperties.class).bootstrapServers()).isEqualTo(bootstrap);
        Containers.withImage("scoreboard/operator-cli").forEach(c -> assertThat(c.env("SCOREBOARD_KAFKA")).isEqualTo(bootstrap));
    }

    @Test
    void theQueryServiceNeverScalesBeyondThePartitions() {
        JsonNode hpa = Manifests.one("HorizontalPodAutoscaler", "query-service").object().get("spec");
        assertThat(hpa.at("/scaleTargetRef/name").asText()).isEqualTo("query-service");
        assertThat(hpa.get("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.get("maxReplicas").asInt()).isLessThanOrEqualTo(eventTopic().object().at("/spec/partitions").asInt());
    }

    // --- HTTP: ports, probes, scraping, shutdown ---

    static Stream<ServiceSettings> services() {
        return Stream.of(ServiceSettings.COMMAND, ServiceSettings.QUERY);
    }

    @ParameterizedTest
    @MethodSource("services")
    void portsProbesAndScrapingAreWhatTheServiceServes(ServiceSettings service) {
        Container container = Containers.withImage(service.image).get(0);
        Binder settings = service.binder(literalEnv(service));
        int port = settings.bind("server.port", Integer.class).orElse(8080);
        assertThat(settings.bind("management.server.port", Integer.class).isBound())
                .as("actuator on its own port: the probes would need it").isFalse();
        String actuator = settings.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
        List<String> exposed = settings.bind("management.endpoints.web.exposure.include", Bindable.listOf(String.class))
                .orElse(List.of("health"));
        assertThat(exposed).contains("health", "prometheus");
        assertThat(settings.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false))
                .as("liveness and readiness groups of %s", service.module).isTrue();

        JsonNode http = container.spec().path("ports").get(0);
        assertThat(http.path("name").asText()).isEqualTo("http");
        assertThat(http.path("containerPort").asInt()).isEqualTo(port);
        for (String probe : List.of("startupProbe", "livenessProbe")) {
            assertThat(container.spec().at("/" + probe + "/httpGet/path").asText()).isEqualTo(actuator + "/health/liveness");
            assertThat(container.spec().at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
        }
        assertThat(container.spec().at("/readinessProbe/httpGet/path").asText()).isEqualTo(actuator + "/health/readiness");
        assertThat(container.spec().at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");

        JsonNode servicePort = Manifests.one("Service", service.module).object().at("/spec/ports/0");
        assertThat(servicePort.path("port").asInt()).isEqualTo(port);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("http");
        JsonNode scrape = Manifests.one("ServiceMonitor", service.module).object().at("/spec/endpoints/0");
        assertThat(scrape.path("path").asText()).isEqualTo(actuator + "/prometheus");
        assertThat(scrape.path("port").asText()).isEqualTo("http");
    }

    @ParameterizedTest
    @MethodSource("services")
    void podsAreGivenLongerThanTheGracefulShutdown(ServiceSettings service) {
        Container container = Containers.withImage(service.image).get(0);
        Binder settings = service.binder(literalEnv(service));
        assertThat(settings.bind("server.shutdown", String.class).orElse("immediate")).isEqualTo("graceful");
        Duration phase = settings.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(Duration.ofSeconds(30));
        assertThat(Duration.ofSeconds(container.podSpec().path("terminationGracePeriodSeconds").asLong(30)))
                .isGreaterThan(phase);
    }

    @Test
    void selectorsFindThePodsTheyAreFor() {
        for (String service : List.of("command-service", "query-service")) {
            JsonNode podLabels = Manifests.one("Deployment", service).object().at("/spec/template/metadata/labels");
            for (String[] selector : List.of(new String[] {"Service", "/spec/selector"},
                    new String[] {"PodDisruptionBudget", "/spec/selector/matchLabels"},
                    new String[] {"Deployment", "/spec/selector/matchLabels"})) {
                JsonNode labels = Manifests.one(selector[0], service).object().at(selector[1]);
                assertThat(labels.size()).as("%s %s selects something", selector[0], service).isPositive();
                labels.fields().forEachRemaining(l -> assertThat(podLabels.path(l.getKey()).asText())
                        .as("%s %s selector %s", selector[0], service, l.getKey()).isEqualTo(l.getValue().asText()));
            }
            JsonNode serviceLabels = Manifests.one("Service", service).object().at("/metadata/labels");
            Manifests.one("ServiceMonitor", service).object().at("/spec/selector/matchLabels").fields()
                    .forEachRemaining(l -> assertThat(serviceLabels.path(l.getKey()).asText()).isEqualTo(l.getValue().asText()));
        }
        assertThat(Manifests.one("Deployment", "command-service").object().at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Manifests.one("PodMonitor", "scoreboard-db").object().at("/spec/selector/matchLabels/cnpg.io~1cluster")
                .asText()).isEqualTo("scoreboard-db");
    }

    // --- Environment variables ---

    @ParameterizedTest
    @MethodSource("services")
    void everyVariableOfAServiceIsOneItReads(ServiceSettings service) {
        List<String> unread = new ArrayList<>();
        for (Container container : Containers.withImage(service.image)) {
            for (String variable : container.resolvedEnv().keySet()) {
                if (!READ_OUTSIDE_SPRING.containsKey(variable) && service.propertyOf(variable).isEmpty()) {
                    unread.add(container + ": " + variable);
                }
            }
        }
        assertThat(unread).as("variables that bind to no property %s knows", service.module).isEmpty();
    }

    @Test
    void aMisspelledServiceVariableIsCaught() {
        assertThat(ServiceSettings.COMMAND.propertyOf("SCOREBOARD_KAFKA_BOOTSTRAPSERVERS")).hasValue("scoreboard.kafka.bootstrap-servers");
        assertThat(ServiceSettings.COMMAND.propertyOf("SCOREBOARD_KAFKA_BOOTSTRAPSERVER")).isEmpty();
        assertThat(ServiceSettings.COMMAND.propertyOf("SPRING_DATASOURCE_PASWORD")).isEmpty();
    }

    @Test
    void everyVariableOfTheToolsIsOneTheyRead_andEveryOneTheyReadIsSet() {
        checkReads("scoreboard/operator-cli", variablesRead(CLI_SOURCES));
        checkReads("scoreboard/database-migrations", variablesRead(MIGRATIONS_SOURCES));
    }

    @Test
    void variablesReadThroughTheirConstantsAreSeen_andAVariableNeverSetIsCaught() {
        Set<String> read = variablesRead(CLI_SOURCES);
        // The CLI reads every one of them through EnvironmentVariables, none by a literal name.
        assertThat(read).contains(EnvironmentVariables.ENVIRONMENT, EnvironmentVariables.EVENTS_URL,
                EnvironmentVariables.READ_URL, EnvironmentVariables.DB_USER, EnvironmentVariables.DB_PASSWORD,
                EnvironmentVariables.KAFKA, EnvironmentVariables.TOPIC);
        Set<String> readAlsoUnset = new TreeSet<>(read);
        readAlsoUnset.add("SCOREBOARD_NEVER_SET");
        assertThatThrownBy(() -> checkReads("scoreboard/operator-cli", readAlsoUnset)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SCOREBOARD_NEVER_SET");
        Set<String> oneLess = new TreeSet<>(read);
        oneLess.remove(EnvironmentVariables.TOPIC);
        assertThatThrownBy(() -> checkReads("scoreboard/operator-cli", oneLess)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(EnvironmentVariables.TOPIC);
        assertThatThrownBy(() -> variableNamed("NO_SUCH_VARIABLE", CLI_SOURCES)).isInstanceOf(AssertionError.class);
    }

    private static void checkReads(String image, Set<String> read) {
        assertThat(read).as("variables read by %s's sources", image).isNotEmpty();
        for (Container container : Containers.withImage(image)) {
            Set<String> set = container.resolvedEnv().keySet();
            assertThat(set).as(container.toString()).allMatch(v -> read.contains(v) || READ_OUTSIDE_SPRING.containsKey(v));
            assertThat(set).as(container.toString()).containsAll(read);
        }
    }

    @Test
    void everyWorkloadBelongsToTheConfiguredEnvironment() {
        for (Container container : Containers.all()) {
            String environment = container.env("SCOREBOARD_ENVIRONMENT");
            assertThatCode(() -> EnvironmentIdentity.requireValidName(environment, "SCOREBOARD_ENVIRONMENT"))
                    .as(container.toString()).doesNotThrowAnyException();
        }
    }

    @Test
    void everyProcessThatUsesTheTopicIsMarkedProduction() {
        // The services through their property, bound from the variable as Spring binds it.
        for (ServiceSettings service : List.of(ServiceSettings.COMMAND, ServiceSettings.QUERY)) {
            assertThat(service.binder(literalEnv(service)).bind("scoreboard.production", Boolean.class).orElse(false))
                    .as("%s: scoreboard.production", service.module).isTrue();
        }
        for (Container cli : Containers.withImage("scoreboard/operator-cli")) {
            assertThat(cli.env(EnvironmentVariables.PRODUCTION)).as(cli.toString()).isEqualTo("true");
        }
    }

    // --- PostgreSQL ---

    @Test
    void everyoneConnectsToTheDatabasesTheClusterHolds() {
        JsonNode cluster = Manifests.one("Cluster", "scoreboard-db").object();
        String rw = "jdbc:postgresql://" + cluster.at("/metadata/name").asText() + "-rw:5432/";
        String events = rw + cluster.at("/spec/bootstrap/initdb/database").asText();
        Manifest readDatabase = Manifests.one("Database", "scoreboard-read");
        String read = rw + readDatabase.object().at("/spec/name").asText();
        assertThat(readDatabase.object().at("/spec/cluster/name").asText()).isEqualTo("scoreboard-db");

        assertThat(Containers.withImage("scoreboard/command-service").get(0).env("SPRING_DATASOURCE_URL")).isEqualTo(events);
        assertThat(Containers.withImage("scoreboard/query-service").get(0).env("SPRING_DATASOURCE_URL")).isEqualTo(read);
        for (String tool : List.of("scoreboard/operator-cli", "scoreboard/database-migrations")) {
            for (Container c : Containers.withImage(tool)) {
                assertThat(c.env("SCOREBOARD_EVENTS_URL")).as(c.toString()).isEqualTo(events);
                assertThat(c.env("SCOREBOARD_READ_URL")).as(c.toString()).isEqualTo(read);
                assertThat(c.env("SCOREBOARD_DB_USER")).as(c.toString()).isEqualTo("secret:scoreboard-owner/username");
            }
        }
        for (String service : List.of("scoreboard/command-service", "scoreboard/query-service")) {
            assertThat(Containers.withImage(service).get(0).env("SPRING_DATASOURCE_USERNAME"))
                    .isEqualTo("secret:scoreboard-app/username");
        }
    }

    @Test
    void theRolesAreTheOnesTheMigrationsGrantTo() {
        JsonNode spec = Manifests.one("Cluster", "scoreboard-db").object().get("spec");
        assertThat(spec.at("/bootstrap/initdb/owner").asText()).isEqualTo(DatabaseRoles.OWNER);
        assertThat(Manifests.one("Database", "scoreboard-read").object().at("/spec/owner").asText())
                .isEqualTo(DatabaseRoles.OWNER);
        Set<String> managed = new TreeSet<>();
        spec.at("/managed/roles").forEach(r -> managed.add(r.path("name").asText()));
        assertThat(managed).containsExactlyInAnyOrder(DatabaseRoles.APP, DatabaseRoles.ANALYST);
    }

    @Test
    void analystsAreBoundedInConnectionsAndStatementTime() {
        JsonNode spec = Manifests.one("Cluster", "scoreboard-db").object().get("spec");
        JsonNode analyst = null;
        for (JsonNode role : spec.at("/managed/roles")) {
            if (role.path("name").asText().equals(DatabaseRoles.ANALYST)) {
                analyst = role;
            }
        }
        assertThat(analyst).isNotNull();
        assertThat(analyst.path("connectionLimit").asInt(-1)).isBetween(1, 50);
        List<String> sql = new ArrayList<>();
        spec.at("/bootstrap/initdb/postInitSQL").forEach(s -> sql.add(s.asText()));
        assertThat(sql).anyMatch(s -> s.matches("ALTER ROLE " + DatabaseRoles.ANALYST
                + " SET statement_timeout = '\\d+s'"));
        assertThat(spec.at("/postgresql/synchronous/dataDurability").asText()).isEqualTo("required");
        assertThat(spec.at("/instances").asInt()).isEqualTo(3);
    }

    // --- Secrets: referenced by name, never written ---

    @Test
    void secretsAreReferencedNeverWritten() {
        assertThat(Manifests.ofKind("Secret")).isEmpty();
        Set<String> referenced = new TreeSet<>();
        for (Path file : Manifests.yamlFiles()) {
            collectSecretNames(Manifests.readTree(file), referenced);
        }
        for (Container container : Containers.all()) {
            for (JsonNode variable : container.env()) {
                String name = variable.path("name").asText();
                if (name.matches(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*")) {
                    assertThat(variable.has("value")).as("%s: %s written out", container, name).isFalse();
                }
            }
        }
        String readme = read(Manifests.ROOT.resolve("README.md"));
        assertThat(referenced).isNotEmpty().allSatisfy(secret -> assertThat(readme).as("README names the Secret").contains("`" + secret + "`"));
    }

    private static void collectSecretNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                boolean secretRef = field.getKey().equals("secretKeyRef") || field.getKey().equals("passwordSecret")
                        || field.getKey().equals("secret") || field.getKey().equals("accessKeyId")
                        || field.getKey().equals("secretAccessKey");
                if (secretRef && field.getValue().has("name")) {
                    names.add(field.getValue().get("name").asText());
                }
                collectSecretNames(field.getValue(), names);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectSecretNames(n, names));
        }
    }

    // --- Memory ---

    @Test
    void everyJvmHasAFixedHeapThatFitsItsLimit() {
        for (Container container : Containers.all()) {
            String options = container.env("JAVA_TOOL_OPTIONS");
            Matcher xmx = XMX.matcher(options);
            assertThat(xmx.find()).as("%s sets -Xmx", container).isTrue();
            long heap = bytes(xmx.group(1));
            JsonNode resources = container.spec().path("resources");
            BigInteger limit = Quantity.getAmountInBytes(new Quantity(resources.at("/limits/memory").asText())).toBigInteger();
            BigInteger request = Quantity.getAmountInBytes(new Quantity(resources.at("/requests/memory").asText())).toBigInteger();
            assertThat(limit.longValueExact()).as("%s: memory limit vs -Xmx%s plus %d MiB beside the heap", container,
                    xmx.group(1), NON_HEAP_BYTES >> 20).isGreaterThanOrEqualTo(heap + NON_HEAP_BYTES);
            // A JVM does not give memory back: a request below the limit only invites an OOM kill under pressure.
            assertThat(request).as("%s: memory request equals limit", container).isEqualTo(limit);
            assertThat(resources.at("/requests/cpu").isMissingNode()).as("%s requests CPU", container).isFalse();
            assertThat(resources.at("/limits/cpu").isMissingNode()).as("%s limits CPU", container).isFalse();
        }
    }

    // --- Monitoring ---

    @Test
    void alertsAndDashboardUseMetricsThatExist() {
        Set<String> exported = MeterNames.exportedSeries(
                Path.of("..", "..", "command-service", "src", "main", "java"),
                Path.of("..", "..", "query-service", "src", "main", "java"),
                Path.of("..", "..", "http-edge", "src", "main", "java"));
        // Not the services' own meters: whose they are.
        Map<String, String> external = Map.of(
                "http_server_requests_seconds_count", "Spring Boot's HTTP server observation",
                "kube_job_status_failed", "kube-state-metrics",
                "kube_job_status_succeeded", "kube-state-metrics",
                "kube_pod_container_status_restarts_total", "kube-state-metrics");
        List<String> expressions = new ArrayList<>();
        for (Manifest rules : Manifests.ofKind("PrometheusRule")) {
            rules.object().at("/spec/groups").forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
        }
        ManifestSchemaTest.readJson(Manifests.ROOT.resolve("base/monitoring/dashboards/scoreboard.json")).path("panels")
                .forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(10);
        Set<String> used = new TreeSet<>();
        expressions.forEach(e -> used.addAll(metricNames(e)));
        assertThat(used).as("metrics used").anyMatch(m -> m.startsWith("scoreboard_"));
        assertThat(used).allSatisfy(metric -> assertThat(exported.contains(metric) || external.containsKey(metric))
                .as("%s is exported by the services (%s) or known", metric, exported).isTrue());
    }

    @Test
    void aMetricNameThatDoesNotExistIsCaught() {
        Set<String> exported = MeterNames.exportedSeries(Path.of("..", "..", "command-service", "src", "main", "java"));
        assertThat(exported).contains("scoreboard_replication_lag_ms", "scoreboard_replication_kafka_errors_total")
                .doesNotContain("scoreboard_replication_lag_seconds");
    }

    /** Metric names in a PromQL expression: identifiers with an underscore, outside label matchers and by(). */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\\{[^}]*}", "").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b[a-z][a-z0-9]*_[a-z0-9_]+\\b").matcher(bare);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    // --- helpers ---

    private static Manifest eventTopic() {
        List<Manifest> topics = Manifests.ofKind("KafkaTopic");
        assertThat(topics).hasSize(1);
        return topics.get(0);
    }

    private static KafkaProperties commandKafka() {
        return ServiceSettings.COMMAND.binder(literalEnv(ServiceSettings.COMMAND)).bindOrCreate("scoreboard.kafka",
                KafkaProperties.class);
    }

    private static Map<String, String> literalEnv(ServiceSettings service) {
        return Containers.withImage(service.image).get(0).resolvedEnv();
    }

    private static Config topicConfig(JsonNode spec) {
        List<ConfigEntry> entries = new ArrayList<>();
        spec.path("config").fields().forEachRemaining(e -> entries.add(new ConfigEntry(e.getKey(), e.getValue().asText())));
        return new Config(entries);
    }

    private static Set<String> variablesRead(Path sources) {
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = ENV_READ.matcher(Files.readString(file));
                while (m.find()) {
                    read.add(m.group(1) != null ? m.group(1) : variableNamed(m.group(2), file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read;
    }

    /** The value of constant {@code EnvironmentVariables.<constant>}; fails when there is no such constant. */
    static String variableNamed(String constant, Path readIn) {
        try {
            return (String) EnvironmentVariables.class.getField(constant).get(null);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new AssertionError(readIn + " reads EnvironmentVariables." + constant
                    + ", which is no constant there", e);
        }
    }

    private static long bytes(String size) {
        long n = Long.parseLong(size.replaceAll("[kKmMgG]$", ""));
        return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> n;
        };
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
