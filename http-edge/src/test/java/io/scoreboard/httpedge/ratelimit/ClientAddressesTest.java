package io.scoreboard.httpedge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ClientAddressesTest {

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        for (String header : forwardedFor) {
            request.addHeader("X-Forwarded-For", header);
        }
        return request;
    }

    @Test
    void withoutTrustedProxies_theHeaderIsIgnored() {
        ClientAddresses addresses = new ClientAddresses(List.of());
        assertThat(addresses.of(from("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void fromAnUntrustedPeer_theHeaderIsIgnored() {
        ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.5"));
        assertThat(addresses.of(from("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void fromATrustedProxy_theRightmostUntrustedHopIsTheClient_whatAClientWroteFurtherLeftIsIgnored() {
        ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.5", "10.0.0.6"));
        assertThat(addresses.of(from("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.6"))).isEqualTo("203.0.113.9");
        assertThat(addresses.of(from("10.0.0.5", "1.2.3.4", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(addresses.of(from("10.0.0.5"))).as("no header: the proxy itself").isEqualTo("10.0.0.5");
        assertThat(addresses.of(from("10.0.0.5", "not-an-address"))).isEqualTo("10.0.0.5");
    }

    @Test
    void oneSpellingPerAddress() {
        ClientAddresses addresses = new ClientAddresses(List.of("::1"));
        assertThat(addresses.of(from("0:0:0:0:0:0:0:1", "[2001:db8::1]"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void aTrustedProxyMustBeAnAddress_notAName() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.example")))
                .hasMessageContaining("scoreboard.rate-limits.trusted-proxies");
        assertThat(new RateLimitProperties(true, List.of("localhost"), 50_000, java.time.Duration.ofSeconds(1), 2000).isTrustedProxiesValid()).isFalse();
        assertThat(new RateLimitProperties(true, List.of("127.0.0.1", "::1"), 50_000, java.time.Duration.ofSeconds(1), 2000).isTrustedProxiesValid()).isTrue();
    }
}
