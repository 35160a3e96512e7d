package io.scoreboard.httpedge.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The address a request is counted against: the TCP peer ({@code getRemoteAddr()}). Only when that
 * peer is one of {@code scoreboard.rate-limits.trusted-proxies} is {@code X-Forwarded-For} read,
 * from the right, skipping trusted proxies: the first other address is the one a trusted proxy
 * saw, whatever a client wrote further left. Without trusted proxies the header is ignored, so a
 * client cannot choose its own bucket.
 */
public final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** An IPv4 or IPv6 literal; anything else would need a DNS lookup, which this never does. */
    private static final Pattern IP_LITERAL = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3})|([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)");

    private final Set<String> trustedProxies;

    public ClientAddresses(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(proxy -> {
            String normalized = normalize(proxy);
            if (normalized == null) {
                throw new IllegalArgumentException("scoreboard.rate-limits.trusted-proxies: '" + proxy + "' is not an "
                        + "IP address; list the proxies' addresses as they connect, e.g. 10.0.0.5 or ::1");
            }
            return normalized;
        }).collect(Collectors.toUnmodifiableSet());
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        String normalizedPeer = normalize(peer);
        if (trustedProxies.isEmpty() || normalizedPeer == null || !trustedProxies.contains(normalizedPeer)) {
            return normalizedPeer == null ? String.valueOf(peer) : normalizedPeer;
        }
        List<String> hops = request.getHeaders(FORWARDED_FOR) == null ? List.of()
                : java.util.Collections.list(request.getHeaders(FORWARDED_FOR)).stream()
                .flatMap(header -> java.util.Arrays.stream(header.split(",")))
                .map(String::strip)
                .filter(hop -> !hop.isEmpty())
                .toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normalize(hops.get(i));
            if (hop == null) {
                return normalizedPeer; // not an address: the chain cannot be trusted past here
            }
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return normalizedPeer;
    }

    /** One spelling per address (e.g. {@code ::1} and {@code 0:0:0:0:0:0:0:1}); null for a non-address. */
    static String normalize(String address) {
        if (address == null) {
            return null;
        }
        String candidate = address.strip();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        if (!IP_LITERAL.matcher(candidate).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
