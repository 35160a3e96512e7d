package io.scoreboard.query.web;

import io.scoreboard.httpedge.ratelimit.ClientAddresses;
import io.scoreboard.httpedge.ratelimit.InFlightPerKey;
import io.scoreboard.httpedge.ratelimit.KeyedBuckets;
import io.scoreboard.httpedge.ratelimit.RateLimitedAnswer;
import io.scoreboard.httpedge.ratelimit.Verdict;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Bounds the reads that cost the read database most — CSV exports and reads with {@code asOf},
 * {@code from}/{@code to} or {@code minPosition} — per client address and for all clients together.
 * The first filter to look at a request: a refused read gets 429 before any connection is taken
 * (and so without {@code X-Projection-Position}: it reflects no read). Plain reads are not limited.
 * {@code minPosition} reads and CSV exports are also bounded in number at once per client address, since
 * each may last for seconds (an export as long as its client takes to read it).
 */
public class QueryRateLimitFilter extends OncePerRequestFilter {

    static final List<String> EXPENSIVE_PARAMETERS = List.of("asOf", "from", "to", "minPosition");
    private static final String TOTAL = "all clients";

    private final ClientAddresses clients;
    private final KeyedBuckets perClient;
    private final KeyedBuckets total;
    private final InFlightPerKey waitingReads;
    private final InFlightPerKey exports;
    private final RateLimitedAnswer refusal;

    public QueryRateLimitFilter(QueryRateLimits limits, long maxTrackedKeys, ClientAddresses clients,
                                RateLimitedAnswer refusal) {
        this.clients = clients;
        this.refusal = refusal;
        this.perClient = new KeyedBuckets(limits.expensiveReadsPerClient(), maxTrackedKeys);
        this.total = new KeyedBuckets(limits.expensiveReadsTotal(), 1);
        this.waitingReads = new InFlightPerKey(limits.waitingReadsPerClient());
        this.exports = new InFlightPerKey(limits.exportsPerClient());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isExpensive(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clients.of(request);
        Verdict own = perClient.tryTake(client);
        if (!own.allowed()) {
            refusal.send(request, response, own, "expensive reads (exports, asOf, from/to, minPosition) "
                    + "from your address", perClient.limit(), "scoreboard.rate-limits.expensive-reads-per-client");
            return;
        }
        Verdict all = total.tryTake(TOTAL);
        if (!all.allowed()) {
            perClient.giveBack(client);
            refusal.send(request, response, all, "expensive reads (exports, asOf, from/to, minPosition) "
                    + "on this instance", total.limit(), "scoreboard.rate-limits.expensive-reads-total");
            return;
        }
        InFlightPerKey held;
        String what;
        String setting;
        if (isExport(request)) {
            held = exports;
            what = "CSV exports in progress from your address";
            setting = "scoreboard.rate-limits.exports-per-client";
        } else if (request.getParameter("minPosition") != null) {
            held = waitingReads;
            what = "minPosition reads in progress from your address";
            setting = "scoreboard.rate-limits.waiting-reads-per-client";
        } else {
            chain.doFilter(request, response);
            return;
        }
        if (!held.tryEnter(client)) {
            perClient.giveBack(client);
            total.giveBack(TOTAL);
            refusal.send(request, response, new Verdict(false, 1), what, held.max() + " at once", setting);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            held.leave(client);
        }
    }

    /** The downloads: both CSV exports and the board's NDJSON events. */
    public static boolean isExportPath(String path) {
        return path.endsWith("/export.csv") || path.endsWith("/events.ndjson");
    }

    private static boolean isExport(HttpServletRequest request) {
        return isExportPath(UrlPathHelper.defaultInstance.getPathWithinApplication(request));
    }

    static boolean isExpensive(HttpServletRequest request) {
        String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
        if (!path.startsWith("/api/")) {
            return false;
        }
        if (isExportPath(path)) {
            return true;
        }
        for (String parameter : EXPENSIVE_PARAMETERS) {
            if (request.getParameter(parameter) != null) {
                return true;
            }
        }
        return false;
    }
}
