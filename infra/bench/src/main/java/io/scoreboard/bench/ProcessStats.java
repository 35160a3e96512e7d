package io.scoreboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process: peak resident memory, CPU time; and the machine's load. */
final class ProcessStats {

    /** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** Peak resident set size (VmHWM) in MiB, or -1 when the process is gone or this is not Linux. */
    static double peakRssMiB(long pid) {
        return statusField(pid, "VmHWM") / 1024.0;
    }

    static double rssMiB(long pid) {
        return statusField(pid, "VmRSS") / 1024.0;
    }

    /** User plus system CPU seconds the process has used so far, or -1. */
    static double cpuSeconds(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long statusField(long pid, String field) {
        try {
            return kibField(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
        } catch (IOException | RuntimeException e) {
            return -1024;
        }
    }

    /** The value of a "Name:   123 kB" line of /proc/<pid>/status. */
    static long kibField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String value = line.substring(field.length() + 1).trim();
                if (!value.endsWith("kB")) {
                    throw new IllegalArgumentException("unexpected unit in '" + line + "'");
                }
                return Long.parseLong(value.substring(0, value.length() - 2).trim());
            }
        }
        throw new IllegalArgumentException("no " + field + " line in the process status");
    }

    /**
     * utime + stime from /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold
     * spaces or parentheses itself, so fields are counted from the last ')'.
     */
    static long cpuTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after[0] is field 3 (state); utime is field 14, stime field 15
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }
}
