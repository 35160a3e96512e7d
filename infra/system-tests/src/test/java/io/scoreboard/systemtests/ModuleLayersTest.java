package io.scoreboard.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * No module depends on a module in a layer above it (ARCHITECTURE.md, "Module layers"), read from the poms
 * the build itself uses. What a module ships (compile, runtime and provided dependencies) stays in its own
 * layer or below; its tests may also use the test kit (test-support), which starts real servers for them.
 * A module that is not given a layer fails too, so that a new one is placed on purpose.
 */
class ModuleLayersTest {

    /** Bottom to top. */
    enum Layer {
        /** The language and the checks every process shares. */
        FOUNDATION,
        /** Rules and resources above it: the projections, the database schema and roles, server processes. */
        LIBRARIES,
        SERVICES,
        OPERATOR_CLI,
        /** The local stack and the deployment manifests' tools. */
        INFRA_TOOLS,
        /** What only tests and benchmarks run. */
        TESTS
    }

    static final Map<String, Layer> LAYERS = Map.ofEntries(
            Map.entry("event-catalogue", Layer.FOUNDATION),
            Map.entry("startup-checks", Layer.FOUNDATION),
            Map.entry("http-edge", Layer.FOUNDATION),
            Map.entry("projections", Layer.LIBRARIES),
            Map.entry("scoreboard-database", Layer.LIBRARIES),
            Map.entry("server-processes", Layer.LIBRARIES),
            Map.entry("command-service", Layer.SERVICES),
            Map.entry("query-service", Layer.SERVICES),
            Map.entry("operator-cli", Layer.OPERATOR_CLI),
            Map.entry("local-stack", Layer.INFRA_TOOLS),
            Map.entry("deployment-manifests", Layer.INFRA_TOOLS),
            Map.entry("api-client", Layer.INFRA_TOOLS),
            Map.entry("test-support", Layer.TESTS),
            Map.entry("system-tests", Layer.TESTS),
            Map.entry("bench", Layer.TESTS));

    /** The test kit: any module's tests may use it, nothing may ship it. */
    static final String TEST_KIT = "test-support";

    private static final String GROUP = "io.scoreboard";

    record Dependency(String artifactId, String scope) {}

    record Module(String artifactId, Path pom, List<Dependency> dependencies) {}

    @Test
    void noModuleDependsOnAModuleAboveIt() {
        Map<String, Module> modules = readModules(repositoryRoot());
        assertThat(modules).as("modules read from the root pom").hasSizeGreaterThan(10);
        assertThat(violations(modules, LAYERS)).isEmpty();
    }

    @Test
    void everyModuleIsGivenALayer() {
        assertThat(LAYERS.keySet()).containsExactlyInAnyOrderElementsOf(readModules(repositoryRoot()).keySet());
    }

    @Test
    void theOperatorCliShipsNeitherTheLocalStackNorItsServers() {
        Map<String, Module> modules = readModules(repositoryRoot());
        assertThat(shipped(modules, "operator-cli")).doesNotContain("local-stack", "test-support")
                .contains("server-processes");
    }

    @Test
    void aDependencyOnAHigherLayerIsCaught() {
        Map<String, Module> modules = readModules(repositoryRoot());
        // What the operator CLI had before it moved reset-local's needs into server-processes.
        Map<String, Module> cliOnLocalStack = withDependency(modules, "operator-cli",
                new Dependency("local-stack", "compile"));
        assertThat(violations(cliOnLocalStack, LAYERS)).singleElement().asString()
                .contains("operator-cli (OPERATOR_CLI)").contains("local-stack (INFRA_TOOLS)").contains("compile");

        Map<String, Module> projectionsOnService = withDependency(modules, "projections",
                new Dependency("command-service", "runtime"));
        assertThat(violations(projectionsOnService, LAYERS)).singleElement().asString()
                .contains("projections (LIBRARIES)").contains("command-service (SERVICES)");
    }

    @Test
    void theTestKitIsForTestsOnly() {
        Map<String, Module> modules = readModules(repositoryRoot());
        assertThat(violations(withDependency(modules, "projections", new Dependency(TEST_KIT, "test")), LAYERS))
                .isEmpty();
        assertThat(violations(withDependency(modules, "projections", new Dependency(TEST_KIT, "compile")), LAYERS))
                .singleElement().asString().contains("projections (LIBRARIES)").contains("test-support (TESTS)");
    }

    @Test
    void aModuleWithoutALayerIsCaught() {
        Map<String, Layer> withoutOne = new LinkedHashMap<>(LAYERS);
        withoutOne.remove("server-processes");
        assertThat(violations(readModules(repositoryRoot()), withoutOne))
                .anySatisfy(v -> assertThat(v).contains("server-processes").contains("no layer"));
    }

    /** Every dependency that points above its module's layer, and every module or dependency without a layer. */
    static List<String> violations(Map<String, Module> modules, Map<String, Layer> layers) {
        List<String> violations = new ArrayList<>();
        for (Module module : modules.values()) {
            Layer own = layers.get(module.artifactId());
            if (own == null) {
                violations.add(module.artifactId() + " (" + module.pom() + ") has no layer in "
                        + "ModuleLayersTest.LAYERS");
                continue;
            }
            for (Dependency d : module.dependencies()) {
                Layer target = layers.get(d.artifactId());
                if (target == null) {
                    violations.add(module.artifactId() + " depends on " + d.artifactId() + ", which has no layer");
                    continue;
                }
                boolean testKit = d.scope().equals("test") && d.artifactId().equals(TEST_KIT);
                if (target.compareTo(own) > 0 && !testKit) {
                    violations.add(module.artifactId() + " (" + own + ") depends on " + d.artifactId() + " (" + target
                            + ") in scope " + d.scope() + ": a layer above it (" + module.pom() + ")");
                }
            }
        }
        return violations;
    }

    /** The modules {@code artifactId} ships, transitively: every non-test dependency within the repository. */
    static TreeSet<String> shipped(Map<String, Module> modules, String artifactId) {
        TreeSet<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of(artifactId));
        while (!todo.isEmpty()) {
            Module m = modules.get(todo.remove(todo.size() - 1));
            for (Dependency d : m.dependencies()) {
                if (!d.scope().equals("test") && !d.scope().equals("provided") && seen.add(d.artifactId())) {
                    todo.add(d.artifactId());
                }
            }
        }
        return seen;
    }

    private static Map<String, Module> withDependency(Map<String, Module> modules, String artifactId,
                                                      Dependency added) {
        Map<String, Module> copy = new LinkedHashMap<>(modules);
        Module m = copy.get(artifactId);
        List<Dependency> dependencies = new ArrayList<>(m.dependencies());
        dependencies.add(added);
        copy.put(artifactId, new Module(m.artifactId(), m.pom(), dependencies));
        return copy;
    }

    static Path repositoryRoot() {
        return Path.of(System.getProperty("scoreboard.repo.root", "../..")).toAbsolutePath().normalize();
    }

    /** Every module the root pom lists, by artifactId, with its dependencies on other modules of this repository. */
    static Map<String, Module> readModules(Path root) {
        Map<String, Module> modules = new LinkedHashMap<>();
        for (Element module : children(child(read(root.resolve("pom.xml")), "modules"), "module")) {
            Path pom = root.resolve(module.getTextContent().strip()).resolve("pom.xml");
            Element project = read(pom);
            String artifactId = text(project, "artifactId");
            List<Dependency> dependencies = new ArrayList<>();
            Element declared = child(project, "dependencies");
            if (declared != null) {
                for (Element d : children(declared, "dependency")) {
                    if (GROUP.equals(text(d, "groupId"))) {
                        String scope = text(d, "scope");
                        dependencies.add(new Dependency(text(d, "artifactId"), scope == null ? "compile" : scope));
                    }
                }
            }
            modules.put(artifactId, new Module(artifactId, root.relativize(pom), dependencies));
        }
        return modules;
    }

    private static Element read(Path pom) {
        try (InputStream in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(in);
            return document.getDocumentElement();
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
