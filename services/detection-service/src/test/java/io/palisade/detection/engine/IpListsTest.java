package io.palisade.detection.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IpListsTest {
    @Test
    void addressesAndRangesOfBothFamiliesMatch() {
        IpLists lists = new IpLists();
        lists.replace("proxy", List.of("198.51.100.23", "203.0.113.0/25", "2001:db8::/32", "10.0.0.0/8"));
        assertEquals(4, lists.size("proxy"));
        assertTrue(lists.contains("proxy", "198.51.100.23"));
        assertFalse(lists.contains("proxy", "198.51.100.24"));
        assertTrue(lists.contains("proxy", "203.0.113.127"));
        assertFalse(lists.contains("proxy", "203.0.113.128"), "/25 ends at .127");
        assertTrue(lists.contains("proxy", "2001:db8:1::5"));
        assertFalse(lists.contains("proxy", "2001:db9::1"));
        assertTrue(lists.contains("proxy", "10.200.3.4"));
        assertFalse(lists.contains("other", "10.200.3.4"), "a list never set is empty");
    }

    @Test
    void plainIpv4AddressesReadQuicklyReadAsTheResolverReadsThem() throws Exception {
        for (String address : List.of("0.0.0.0", "10.0.0.1", "192.168.100.255", "255.255.255.255", "8.8.8.8",
                " 172.16.0.9 ", "1.2.3.40")) {
            assertArrayEquals(java.net.InetAddress.getByName(address.trim()).getAddress(), IpLists.parse(address),
                    address);
        }
        for (String notAnAddress : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4a",
                "1.2.3.1000", "١.٢.٣.٤", "", "1.2.3.-4")) {
            assertNull(IpLists.parse(notAnAddress), notAnAddress);
        }
        // octets with leading zeros are not the plain form: read the general way, as before
        assertArrayEquals(IpLists.parseGenerally("010.1.2.3"), IpLists.parse("010.1.2.3"));
    }

    @Test
    void hostNamesAndGarbageAreNeverLookedUpOrMatched() {
        IpLists lists = new IpLists();
        lists.replace("proxy", List.of("0.0.0.0/0"));
        assertFalse(lists.contains("proxy", "localhost"));
        assertFalse(lists.contains("proxy", "example.com"));
        assertFalse(lists.contains("proxy", ""));
        assertTrue(lists.contains("proxy", "192.0.2.1"));
    }

    @Test
    void invalidEntriesAreNamedAndALargeListIsASetLookup() {
        assertEquals("10.0.0.0/33", IpLists.firstInvalid(List.of("10.0.0.1", "10.0.0.0/33")));
        assertEquals("tor-exit-1", IpLists.firstInvalid(List.of("tor-exit-1")));
        assertNull(IpLists.firstInvalid(List.of("10.0.0.1", "::1", "fe80::/10")));
        assertThrows(IllegalArgumentException.class, () -> new IpLists().replace("x", List.of("300.1.1.1")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            many.add("100." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        IpLists lists = new IpLists();
        lists.replace("proxy", many);
        assertTrue(lists.contains("proxy", "100.3.13.63"));
        assertFalse(lists.contains("proxy", "101.0.0.1"));
    }
}
