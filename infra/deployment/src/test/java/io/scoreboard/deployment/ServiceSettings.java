package io.scoreboard.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * One service as the repository defines it: its application.yml (read from the module's source tree) and the
 * properties its code binds (@ConfigurationProperties records and @Value placeholders of its packages, found on
 * the test class path), plus Spring Boot's own documented properties. Bindings go through Spring's Binder, so an
 * environment variable means here exactly what it means to the service (relaxed binding).
 */
final class ServiceSettings {

    static final ServiceSettings COMMAND = new ServiceSettings("command-service", "scoreboard/command-service",
            List.of("io.scoreboard.command", "io.scoreboard.httpedge", "io.scoreboard.startup"));
    static final ServiceSettings QUERY = new ServiceSettings("query-service", "scoreboard/query-service",
            List.of("io.scoreboard.query", "io.scoreboard.httpedge", "io.scoreboard.startup"));

    /** Spring maps variable names to properties (relaxed binding) only for sources named like the system environment. */
    private static final String ENVIRONMENT_SOURCE = "container-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");
    private static volatile Set<String> bootProperties;

    final String module;
    final String image;
    private final List<String> packages;
    private Set<String> knownProperties;

    private ServiceSettings(String module, String image, List<String> packages) {
        this.module = module;
        this.image = image;
        this.packages = packages;
    }

    Path applicationYml() {
        return Path.of("..", "..", module, "src", "main", "resources", "application.yml").toAbsolutePath().normalize();
    }

    JsonNode yml() {
        return Manifests.readTree(applicationYml());
    }

    /** The service's settings as it would see them with these environment variables (literal values). */
    Binder binder(Map<String, String> environmentVariables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(ENVIRONMENT_SOURCE, new HashMap<>(environmentVariables)));
        try {
            for (PropertySource<?> yml : new YamlPropertySourceLoader().load("application.yml",
                    new FileSystemResource(applicationYml()))) {
                sources.addLast(yml);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment);
    }

    /** The property an environment variable sets in this service, if it sets one the service knows. */
    java.util.Optional<String> propertyOf(String variable) {
        Iterable<ConfigurationPropertySource> source = ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(ENVIRONMENT_SOURCE, Map.of(variable, "x")));
        for (String property : knownProperties()) {
            if (!ConfigurationPropertyName.isValid(property)) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
            for (ConfigurationPropertySource s : source) {
                if (s.getConfigurationProperty(name) != null) {
                    return java.util.Optional.of(property);
                }
            }
        }
        return java.util.Optional.empty();
    }

    synchronized Set<String> knownProperties() {
        if (knownProperties == null) {
            Set<String> names = new TreeSet<>(bootProperties());
            flatten("", yml(), names);
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
            scanner.addIncludeFilter((reader, factory) -> true);
            for (String pkg : packages) {
                for (BeanDefinition candidate : scanner.findCandidateComponents(pkg)) {
                    Class<?> type = load(candidate.getBeanClassName());
                    if (type == null) {
                        continue;
                    }
                    ConfigurationProperties bound = type.getAnnotation(ConfigurationProperties.class);
                    if (bound != null) {
                        recordProperties(bound.value().isEmpty() ? bound.prefix() : bound.value(), type, names);
                    }
                    valuePlaceholders(type, names);
                }
            }
            if (names.stream().noneMatch(n -> n.startsWith("scoreboard."))) {
                throw new IllegalStateException("no scoreboard.* property found for " + module + ": is it on the class path?");
            }
            knownProperties = names;
        }
        return knownProperties;
    }

    private static void recordProperties(String prefix, Class<?> type, Set<String> names) {
        if (!type.isRecord()) {
            names.add(prefix);
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            names.add(name);
            if (component.getType().isRecord()) {
                recordProperties(name, component.getType(), names);
            }
        }
    }

    private static void valuePlaceholders(Class<?> type, Set<String> names) {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            for (Parameter p : c.getParameters()) {
                addPlaceholders(p.getAnnotation(Value.class), names);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            addPlaceholders(m.getAnnotation(Value.class), names);
            for (Parameter p : m.getParameters()) {
                addPlaceholders(p.getAnnotation(Value.class), names);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            addPlaceholders(f.getAnnotation(Value.class), names);
        }
    }

    private static void addPlaceholders(Value value, Set<String> names) {
        if (value != null) {
            Matcher m = PLACEHOLDER.matcher(value.value());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
    }

    private static void flatten(String prefix, JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), names));
        } else {
            names.add(prefix);
        }
    }

    /** Every property Spring Boot and its actuator document (their configuration metadata). */
    private static Set<String> bootProperties() {
        if (bootProperties == null) {
            Set<String> names = new TreeSet<>();
            try {
                Enumeration<URL> metadata = ServiceSettings.class.getClassLoader()
                        .getResources("META-INF/spring-configuration-metadata.json");
                while (metadata.hasMoreElements()) {
                    try (InputStream in = metadata.nextElement().openStream()) {
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("properties")
                                .forEach(p -> names.add(p.path("name").asText()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bootProperties = names;
        }
        return bootProperties;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The class, or null when it cannot be linked here (an optional dependency absent): it binds nothing then. */
    private static Class<?> load(String name) {
        try {
            Class<?> type = Class.forName(name, false, ServiceSettings.class.getClassLoader());
            type.getDeclaredConstructors();
            type.getDeclaredMethods();
            type.getDeclaredFields();
            return type;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
