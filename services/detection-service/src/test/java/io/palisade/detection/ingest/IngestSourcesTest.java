package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Whose failed authentications a request counts as: the sender's address, or, behind a trusted proxy (the gateway),
 * the client the proxy names in {@code X-Forwarded-For}; nobody else's {@code X-Forwarded-For} is believed.
 */
class IngestSourcesTest {
    private final IngestSources defaults = new IngestSources(List.of("127.0.0.1", "::1"));

    @Test
    void aDirectSenderIsItsRemoteAddress() {
        assertEquals("203.0.113.9", defaults.resolve("203.0.113.9", List.of()));
        assertEquals("203.0.113.9", defaults.resolve("203.0.113.9", null));
    }

    @Test
    void theXForwardedForOfAnUntrustedSenderIsIgnored() {
        assertEquals("203.0.113.9", defaults.resolve("203.0.113.9", List.of("198.51.100.7")),
                "a client cannot pick the address its failures count against");
        assertEquals("203.0.113.9", defaults.resolve("203.0.113.9", List.of("127.0.0.1")));
    }

    @Test
    void behindTheGatewayOnTheSameHostTheSourceIsTheClientItForwards() {
        assertEquals("198.51.100.7", defaults.resolve("127.0.0.1", List.of("198.51.100.7")));
        assertEquals("198.51.100.7", defaults.resolve("0:0:0:0:0:0:0:1", List.of("198.51.100.7")),
                "::1 in any spelling");
        assertEquals("2001:db8:0:0:0:0:0:7", defaults.resolve("::1", List.of("2001:db8::7")));
    }

    @Test
    void theLastForwardedAddressCountsTheOneTheTrustedProxyWrote() {
        assertEquals("198.51.100.7", defaults.resolve("127.0.0.1", List.of("10.9.9.9, 192.0.2.1,198.51.100.7")));
        assertEquals("198.51.100.7", defaults.resolve("127.0.0.1", List.of("10.9.9.9", "198.51.100.7")),
                "several headers are one list, in order");
    }

    @Test
    void aTrustedProxyWithoutAReadableForwardedAddressCountsAsItself() {
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", List.of()));
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", List.of("")));
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", List.of("unknown")));
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", List.of("evil.example.com")), "never looked up");
    }

    @Test
    void trustedProxiesMayBeRanges() {
        IngestSources podNetwork = new IngestSources(List.of("10.244.0.0/16", "fd00::/8"));
        assertEquals("198.51.100.7", podNetwork.resolve("10.244.3.17", List.of("198.51.100.7")));
        assertEquals("198.51.100.7", podNetwork.resolve("fd00::5", List.of("198.51.100.7")));
        assertEquals("10.245.0.1", podNetwork.resolve("10.245.0.1", List.of("198.51.100.7")));
        assertEquals("127.0.0.1", podNetwork.resolve("127.0.0.1", List.of("198.51.100.7")),
                "loopback is trusted only when listed");
    }

    @Test
    void oneAddressIsOneSourceHoweverItIsWritten() {
        assertEquals("198.51.100.7", defaults.resolve("127.0.0.1", List.of("[::ffff:198.51.100.7]:443")));
        assertEquals("198.51.100.7", defaults.resolve("127.0.0.1", List.of(" 198.51.100.7:5044 ")));
        assertEquals("2001:db8:0:0:0:0:0:7", defaults.resolve("127.0.0.1", List.of("[2001:DB8::7]")));
        assertEquals("0:0:0:0:0:0:0:1", defaults.resolve("::1%0", List.of()));
    }

    @Test
    void aSenderWithoutAnAddressIsOneUnknownSource() {
        assertEquals(IngestSources.UNKNOWN, defaults.resolve(null, List.of("198.51.100.7")));
    }

    @Test
    void literalsOnly() {
        assertNull(IngestSources.normalise("localhost"));
        assertNull(IngestSources.normalise("256.1.1.1"));
        assertNull(IngestSources.normalise("1:2:3:4:5:6:7:8:9"));
        assertNull(IngestSources.normalise("[::1"));
    }

    @Test
    void aTrustedProxyThatIsNoAddressStopsTheStart() {
        var e = assertThrows(IllegalArgumentException.class, () -> new IngestSources(List.of("127.0.0.1", "gateway")));
        assertTrue(e.getMessage().contains("palisade.ingest.trusted-proxies"), e.getMessage());
        assertTrue(e.getMessage().contains("gateway"), e.getMessage());
    }
}
