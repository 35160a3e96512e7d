package io.scoreboard.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Score changes or reads sent by {@code wrk} (Debian's package): a C load generator, so that the generator takes
 * a small share of the two cores the services run on (the JDK client in this JVM cost more per request
 * than the reference it loaded). Closed loop: {@code connections} keep-alive connections, each sending its
 * next request when the previous one is answered, a random (board, participant) or a random path from a
 * list each time, chosen by a Lua script generated for the run. The same script loads the command service and
 * the CRUD reference; the query benchmark loads its reads and the service's HTTP floor the same way.
 *
 * <p>wrk's latencies come from its own histogram (microseconds); its CPU is the CPU this JVM's reaped
 * children used while it ran (nothing else is reaped meanwhile: the services stop only after it).
 */
final class WrkLoad {

    /** What one wrk run saw, with the CPU wrk itself used and its window in wall-clock time. */
    record Result(LatencySummary latencies, double wrkCpuSeconds, long windowStartMillis, long windowEndMillis,
                  String output, Pacing pacing) {

        /** wrk's CPU as a share of the whole machine over the window. */
        double wrkMachineShare() {
            return wrkCpuSeconds / latencies.seconds() / Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * How an open-loop run kept its schedule: requests sent, and how many of them left more than a millisecond after
     * their due time because every connection was still waiting for an answer. wrk times a request from when it is
     * sent, so a late request's wait is missing from the latencies: they are the service's own only while
     * {@link #lateShare()} is near zero. Zero sent for a closed-loop run.
     */
    record Pacing(long sent, long late) {
        static final Pacing CLOSED_LOOP = new Pacing(0, 0);

        double lateShare() {
            return sent == 0 ? 0 : (double) late / sent;
        }
    }

    /** One board as the load sees it: where its score changes go and the token they carry. */
    record Target(String scoreChangesPrefix, String authorization, String[] participantIds) {}

    private static final String MARK = "SCOREBOARD_WRK";

    private final Path script;

    private WrkLoad(Path script) {
        this.script = script;
    }

    /** Writes the Lua script for these boards. */
    static WrkLoad scoreChanges(List<Target> targets, Path directory) throws IOException {
        StringBuilder lua = new StringBuilder("local boards = {\n");
        for (Target t : targets) {
            lua.append("{\"").append(t.scoreChangesPrefix()).append("\",\"").append(t.authorization()).append("\",{");
            for (int p = 0; p < t.participantIds().length; p++) {
                lua.append(p == 0 ? "\"" : ",\"").append(t.participantIds()[p]).append('"');
            }
            lua.append("}},\n");
        }
        lua.append("""
                }
                function request()
                  local b = boards[math.random(#boards)]
                  local p = b[3][math.random(#b[3])]
                  return wrk.format("POST", b[1] .. p .. "/score-changes",
                    { ["Authorization"] = b[2], ["Content-Type"] = "application/json" },
                    '{"delta":' .. math.random(10) .. '}')
                end
                """).append(COMMON);
        return write(lua, directory, "score-changes-");
    }

    /** Writes the Lua script for GETs of these paths, one chosen at random per request (closed loop). */
    static WrkLoad gets(List<String> paths, Path directory) throws IOException {
        return gets(paths, directory, 0);
    }

    /**
     * The same, open loop when {@code perSecond} > 0: requests are due at that rate over the whole run whatever the
     * answers take (each wrk thread hands its connections the next due time, {@link #PACED}), so a slow answer
     * does not slow the offered load down, as it would in a closed loop.
     */
    static WrkLoad gets(List<String> paths, Path directory, double perSecond) throws IOException {
        StringBuilder lua = new StringBuilder("local paths = {\n");
        for (String path : paths) {
            lua.append('"').append(path).append("\",\n");
        }
        lua.append("""
                }
                -- Formatted once per thread, on its first request (wrk sets the Host header only after the
                -- script has loaded), not per request: at 30,000+ reads/s building each request's string was a
                -- large part of the generator's own CPU.
                local requests = nil
                function request()
                  if requests == nil then
                    requests = {}
                    for i, path in ipairs(paths) do
                      requests[i] = wrk.format("GET", path, { ["Accept"] = "application/json" })
                    end
                  end
                  return requests[math.random(#requests)]
                end
                """).append(COMMON);
        if (perSecond > 0) {
            lua.append(PACED.replace("%INTERVAL_MS%", Double.toString(THREADS * 1000.0 / perSecond)));
        }
        return write(lua, directory, perSecond > 0 ? "gets-paced-" : "gets-");
    }

    /** wrk's threads: two, like the machine's cores. */
    private static final int THREADS = 2;

    /**
     * Open loop in wrk (which has no rate option): wrk asks delay() for the milliseconds to wait before each request
     * of a connection; each thread hands out due times one interval apart, on a monotonic clock read through LuaJIT's
     * FFI (Lua's own os.time() has whole seconds), and counts the requests that could only leave late.
     */
    private static final String PACED = """
            local ffi = require("ffi")
            ffi.cdef[[
              typedef struct { long tv_sec; long tv_nsec; } scoreboard_timespec;
              int clock_gettime(int clock_id, scoreboard_timespec *tp);
            ]]
            local clock = ffi.new("scoreboard_timespec")
            local function now_ms()
              ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
              return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
            end
            local interval_ms = %INTERVAL_MS%
            local due = nil
            paced = 0
            late = 0
            function delay()
              local now = now_ms()
              if due == nil then due = now end
              local slot = due
              due = due + interval_ms
              paced = paced + 1
              if slot < now - 1 then late = late + 1 end
              if slot <= now then return 0 end
              return math.floor(slot - now + 0.5)
            end
            """;

    /** Per-thread seeds, and the one line of figures {@link #parse} reads. */
    private static final String COMMON = """
            local counter = 0
            local threads = {}
            function setup(thread)
              counter = counter + 1
              thread:set("id", counter)
              threads[counter] = thread
            end
            function init(args)
              math.randomseed(os.time() * 1000 + id)
            end
            function done(summary, latency, requests)
              local e = summary.errors
              local paced, late = 0, 0
              for _, thread in ipairs(threads) do
                paced = paced + (thread:get("paced") or 0)
                late = late + (thread:get("late") or 0)
              end
              io.write(string.format("%s requests=%d duration_us=%d non2xx=%d socket=%d "
                .. "p50_us=%d p95_us=%d p99_us=%d p999_us=%d max_us=%d paced=%d late=%d\\n", "%MARK%",
                summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
                latency:percentile(50), latency:percentile(95), latency:percentile(99), latency:percentile(99.9),
                latency.max, paced, late))
            end
            """.replace("%MARK%", MARK);

    private static WrkLoad write(StringBuilder lua, Path directory, String prefix) throws IOException {
        Files.createDirectories(directory);
        Path script = Files.createTempFile(directory, prefix, ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        return new WrkLoad(script);
    }

    /** A run whose figures are thrown away: the JIT, the pools and the caches settle. */
    void warmUp(URI base, int connections, Duration duration) throws Exception {
        once(base, connections, duration);
    }

    Result measure(URI base, int connections, Duration window) throws Exception {
        return once(base, connections, window);
    }

    private Result once(URI base, int connections, Duration duration) throws Exception {
        int threads = Math.min(THREADS, connections);
        List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", script.toString(), base.toString());
        double childCpu = childrenCpuSeconds();
        long start = System.currentTimeMillis();
        Process wrk;
        try {
            wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run wrk (" + e.getMessage() + "). Fix: apt-get install -y wrk "
                    + "(./scoreboard bench installs it when it runs as root)", e);
        }
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            wrk.destroyForcibly();
            throw new IOException("wrk failed: " + String.join(" ", command) + "\n" + output);
        }
        long end = System.currentTimeMillis();
        double wrkCpu = childrenCpuSeconds() - childCpu;
        return new Result(parse(output), wrkCpu, start, end, output, pacing(output));
    }

    /** The figures the script's done() prints: rate over wrk's own duration, failures = non-2xx + socket errors. */
    static LatencySummary parse(String output) {
        Map<String, Long> f = figures(output);
        long failed = f.get("non2xx") + f.get("socket");
        return new LatencySummary(f.get("requests") - f.get("non2xx"), failed, f.get("duration_us") / 1e6,
                f.get("p50_us") * 1_000, f.get("p95_us") * 1_000, f.get("p99_us") * 1_000,
                f.get("p999_us") * 1_000, f.get("max_us") * 1_000);
    }

    private static Map<String, Long> figures(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(MARK + " ")) {
                Map<String, Long> f = new HashMap<>();
                for (String pair : line.substring(MARK.length() + 1).trim().split("\\s+")) {
                    String[] kv = pair.split("=");
                    f.put(kv[0], Long.parseLong(kv[1]));
                }
                return f;
            }
        }
        throw new IllegalStateException("wrk printed no " + MARK + " line:\n" + output);
    }

    /** The open-loop counts of the script's line; none for a closed-loop script. */
    static Pacing pacing(String output) {
        Map<String, Long> f = figures(output);
        return new Pacing(f.getOrDefault("paced", 0L), f.getOrDefault("late", 0L));
    }

    /** cutime + cstime of this JVM: the CPU of the children it has reaped. */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after[0] is field 3 (state); cutime is field 16, cstime field 17
        return (Long.parseLong(after[13]) + Long.parseLong(after[14])) / 100.0;
    }

    /** The boards the command API made, as load targets. */
    static List<Target> targets(List<CommandApi.Board> boards) {
        List<Target> targets = new ArrayList<>(boards.size());
        for (CommandApi.Board b : boards) {
            targets.add(new Target(b.scoreChangesPrefix(), b.scorekeeperAuthorization(), b.participantIds()));
        }
        return targets;
    }
}
