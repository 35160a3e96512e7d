package io.scoreboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used during a measured phase, from /proc (Linux): by the load generator (this JVM), by the
 * service process, by the PostgreSQL backends serving the benchmark's database, and by the whole
 * machine. It tells whether the client could be the bottleneck and how much of the machine others
 * took. Elsewhere than Linux every figure is 0.
 */
final class CpuUse {

    /** Linux's USER_HZ: /proc reports CPU time in these ticks on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    private final long servicePid;
    private final String databaseName;

    CpuUse(long servicePid, String databaseName) {
        this.servicePid = servicePid;
        this.databaseName = databaseName;
    }

    /** Cumulative CPU seconds at one moment, and the wall clock. */
    record Sample(long nanoTime, double client, double service, double database, double machineBusy) {

        /** The difference to an earlier sample, as cores used on average (1.0 = one core fully busy). */
        Sample since(Sample earlier) {
            double wall = (nanoTime - earlier.nanoTime) / 1e9;
            return new Sample(nanoTime - earlier.nanoTime, (client - earlier.client) / wall,
                    (service - earlier.service) / wall, (database - earlier.database) / wall,
                    (machineBusy - earlier.machineBusy) / wall);
        }

        Map<String, Object> asCoresMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client (bench JVM)", round(client));
            m.put("query service", round(service));
            m.put("postgres backends", round(database));
            m.put("whole machine", round(machineBusy));
            return m;
        }

        private static double round(double cores) {
            return Math.round(cores * 100) / 100.0;
        }
    }

    Sample sample() {
        return new Sample(System.nanoTime(), processSeconds(ProcessHandle.current().pid()), processSeconds(servicePid),
                databaseBackendSeconds(), machineBusySeconds());
    }

    /** utime + stime of one process (fields 14 and 15 of /proc/pid/stat, after the command in parentheses). */
    static double processSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // gone, or not Linux
        }
    }

    /** Backends show "postgres: user database host(port) state" as their command line. */
    private double databaseBackendSeconds() {
        double seconds = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String command = Files.readString(process.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    if (command.startsWith("postgres: ") && command.contains(" " + databaseName + " ")) {
                        seconds += processSeconds(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return seconds;
    }

    /** All CPUs' busy time (everything but idle and iowait) from the first line of /proc/stat. */
    private static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
