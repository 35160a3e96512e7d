package io.scoreboard.systemtests;

import io.scoreboard.infra.localstack.Ports;
import io.scoreboard.infra.localstack.up.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One named instance of a service on a {@link RunningSystem}'s databases and topic, as one of several behind a
 * load balancer: it keeps its port across restarts (the address clients know it by), and a restart appends to
 * its log, so the log still shows what the killed process did last.
 */
final class ServiceInstance implements AutoCloseable {

    /** Generous: on a shared two-core machine four JVMs starting together have taken over 100 s. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    enum Service {
        COMMAND("command-service"), QUERY("query-service");

        final String jar;

        Service(String jar) {
            this.jar = jar;
        }
    }

    private final RunningSystem system;
    private final Service service;
    private final String name;
    private final int port;
    private final List<String> args;
    private volatile ServiceProcess process;
    private boolean started;
    /** Counts the starts that became healthy: a load balancer takes an instance back once it has a new one. */
    private volatile int healthyStarts;

    private ServiceInstance(RunningSystem system, Service service, String name, List<String> extraArgs) {
        this.system = system;
        this.service = service;
        this.name = name;
        this.port = Ports.findFree();
        List<String> base = service == Service.COMMAND ? system.commandServiceArgs(port, system.topic)
                : system.queryServiceArgs(port, system.bootstrapServers);
        this.args = RunningSystem.withOverrides(base, extraArgs);
    }

    /** Starts the instance and returns once it is healthy. */
    static ServiceInstance start(RunningSystem system, Service service, String name, List<String> extraArgs) {
        ServiceInstance instance = new ServiceInstance(system, service, name, extraArgs);
        instance.start();
        return instance;
    }

    /** Starts a new process for this instance (same port, databases and topic); returns once it is healthy. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running (pid " + process.pid() + ")");
        }
        ServiceProcess launched = ServiceProcess.launch(name, RunningSystem.jar(service.jar), RunningSystem.JVM, args,
                Map.of(), system.logFile(name), started);
        started = true;
        process = launched;
        launched.awaitHealthy(uri("/actuator/health"), START_TIMEOUT);
        healthyStarts++;
    }

    /** How many times this instance has started and become healthy (a readiness probe's view of it). */
    int healthyStarts() {
        return healthyStarts;
    }

    /** SIGKILL, as a crash would: no shutdown hook runs, nothing is released. */
    synchronized void kill() {
        process.kill();
    }

    boolean isAlive() {
        ServiceProcess p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String logTail(int lines) {
        ServiceProcess p = process;
        return p == null ? "(never started)" : p.logTail(lines);
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }
}
