package io.scoreboard.testsupport;

import io.scoreboard.infra.localstack.DirectoryInUseException;
import io.scoreboard.infra.localstack.Ports;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Directories for embedded servers under the current module's {@code target/}: ours, wiped by
 * {@code mvn clean}, never shared /tmp. Parallel test JVMs of one module each take the next free
 * slot ({@code name}, {@code name-2}, ...).
 */
final class ModuleTargetDirectory {

    private static final int SLOTS = 8;
    private static final int PORT_ATTEMPTS = 3;

    private ModuleTargetDirectory() {
    }

    /** Runs {@code start} on the first slot no running server holds, retrying a port lost to a race. */
    static <T> T startInFreeSlot(String name, Function<Path, T> start) {
        Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("target");
        DirectoryInUseException lastInUse = null;
        for (int slot = 1; slot <= SLOTS; slot++) {
            Path dir = target.resolve(slot == 1 ? name : name + "-" + slot);
            for (int attempt = 1; ; attempt++) {
                try {
                    return start.apply(dir);
                } catch (DirectoryInUseException e) {
                    lastInUse = e;
                    break;
                } catch (Ports.PortInUseException e) {
                    // The free port we picked was taken before the server bound it: pick again.
                    if (attempt == PORT_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
        throw new IllegalStateException("all " + SLOTS + " directories " + target.resolve(name) + "[-n] are in use "
                + "by running servers. Fix: stop the test JVMs that hold them.", lastInUse);
    }
}
