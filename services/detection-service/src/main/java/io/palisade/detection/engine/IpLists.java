package io.palisade.detection.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Named lists of IP addresses and CIDR ranges that rules test with {@code inIpList} (threat intelligence such as
 * proxy and TOR exit addresses). A list is replaced whole and atomically, so rules see the new list at once without
 * a reload; a list never set is empty.
 */
public final class IpLists {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final Map<String, Snapshot> lists = new ConcurrentHashMap<>();

    /** Replaces a list. Every entry must be an IP address or a CIDR range; otherwise nothing changes. */
    public void replace(String name, Collection<String> entries) {
        lists.put(name, Snapshot.of(entries));
    }

    public boolean contains(String name, String address) {
        Snapshot snapshot = lists.get(name);
        if (snapshot == null) {
            return false;
        }
        byte[] ip = parse(address);
        return ip != null && snapshot.contains(ip);
    }

    public int size(String name) {
        Snapshot snapshot = lists.get(name);
        return snapshot == null ? 0 : snapshot.exact().size() + snapshot.ranges().size();
    }

    /** Checks entries without storing them: the first invalid one, or null when all are valid. */
    public static String firstInvalid(Collection<String> entries) {
        for (String entry : entries) {
            try {
                Range.of(entry);
            } catch (IllegalArgumentException e) {
                return entry;
            }
        }
        return null;
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    static byte[] parse(String address) {
        String a = address == null ? "" : address.trim();
        byte[] plain = plainIpv4(a);
        return plain != null ? plain : parseGenerally(a);
    }

    /** {@link #parse} without the quick way for plain IPv4 addresses. */
    static byte[] parseGenerally(String address) {
        String a = address == null ? "" : address.trim();
        if (IPV4.matcher(a).matches()) {
            for (String octet : a.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // never handed to the resolver, which would look it up as a host name
                }
            }
        } else if (!IPV6.matcher(a).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The bytes of a dotted-quad IPv4 address written the plain way (four decimal octets up to 255, no leading
     * zeros: what API servers report), read without a regex or the resolver's parser; null for anything else, which
     * {@link #parse} then reads the general way. Every source IP of every event is read here.
     */
    private static byte[] plainIpv4(String a) {
        int length = a.length();
        if (length < 7 || length > 15) {
            return null;
        }
        byte[] ip = new byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= length; i++) {
            char c = i == length ? '.' : a.charAt(i);
            if (c == '.') {
                if (digits == 0 || octet == 4) {
                    return null;
                }
                ip[octet++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && !(digits == 1 && value == 0)) {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return octet == 4 ? ip : null;
    }

    private record Snapshot(Set<String> exact, List<Range> ranges) {
        static Snapshot of(Collection<String> entries) {
            Set<String> exact = new HashSet<>();
            List<Range> ranges = new ArrayList<>();
            for (String entry : entries) {
                Range range = Range.of(entry);
                if (range.prefix() == range.network().length * 8) {
                    exact.add(key(range.network())); // single addresses: a set lookup, not a scan
                } else {
                    ranges.add(range);
                }
            }
            return new Snapshot(Set.copyOf(exact), List.copyOf(ranges));
        }

        boolean contains(byte[] ip) {
            if (exact.contains(key(ip))) {
                return true;
            }
            for (Range range : ranges) {
                if (range.contains(ip)) {
                    return true;
                }
            }
            return false;
        }

        private static String key(byte[] ip) {
            StringBuilder sb = new StringBuilder();
            for (byte b : ip) {
                sb.append(b & 0xff).append('.');
            }
            return sb.toString();
        }
    }

    private record Range(byte[] network, int prefix) {
        static Range of(String entry) {
            String e = entry == null ? "" : entry.trim();
            int slash = e.indexOf('/');
            byte[] ip = parse(slash < 0 ? e : e.substring(0, slash));
            if (ip == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + entry);
            }
            int prefix = ip.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("bad prefix length: " + entry);
                }
                if (prefix < 0 || prefix > ip.length * 8) {
                    throw new IllegalArgumentException("bad prefix length: " + entry);
                }
            }
            return new Range(ip, prefix);
        }

        boolean contains(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (ip[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (ip[full] & mask) == (network[full] & mask);
        }
    }
}
