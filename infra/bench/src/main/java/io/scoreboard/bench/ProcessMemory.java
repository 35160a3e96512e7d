package io.scoreboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A running process's peak resident memory, as Linux keeps it (VmHWM in /proc/[pid]/status). */
final class ProcessMemory {

    private ProcessMemory() {}

    /** Peak resident set size so far in MiB; 0 when unknown (not Linux, or the process has ended). */
    static double peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process ended
        }
        return 0;
    }
}
