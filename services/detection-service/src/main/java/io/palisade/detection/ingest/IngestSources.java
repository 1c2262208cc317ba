package io.palisade.detection.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.palisade.detection.config.DetectionConfig;
import io.palisade.detection.engine.IpLists;

/**
 * Who sent an ingest request, for counting failed authentications per source: the request's remote address, unless
 * that is a trusted proxy ({@code palisade.ingest.trusted-proxies}, by default the gateway on the same host), in
 * which case the last address of {@code X-Forwarded-For}, the one the proxy itself wrote for its client. The
 * gateway overwrites the header rather than appending to it, so its last (only) entry is the real client. The header
 * of any other sender is ignored: a client could put any address there to escape its count or to get another
 * address blocked.
 */
@ApplicationScoped
public class IngestSources {
    /** The source of a request whose remote address is not known (no TCP peer, e.g. a Unix socket). */
    public static final String UNKNOWN = "unknown";

    private static final String TRUSTED = "trusted-proxies";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final IpLists trustedProxies = new IpLists();

    @Inject
    public IngestSources(DetectionConfig.Ingest config) {
        this(config.trustedProxies());
    }

    /** Trusting these proxies (addresses or CIDR ranges); an entry that is neither stops the start. */
    public IngestSources(List<String> trustedProxies) {
        String invalid = IpLists.firstInvalid(trustedProxies);
        if (invalid != null) {
            throw new IllegalArgumentException("palisade.ingest.trusted-proxies: '" + invalid
                    + "' is not an IP address or CIDR range");
        }
        this.trustedProxies.replace(TRUSTED, trustedProxies);
    }

    /**
     * The source of a request: its remote address (normalised, e.g. {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one
     * source), or, from a trusted proxy, the last address of its {@code X-Forwarded-For} headers (all values, in
     * order). A trusted proxy's request without a readable forwarded address counts against the proxy itself.
     */
    public String resolve(String remoteAddress, List<String> forwardedFor) {
        String remote = normalise(remoteAddress);
        if (remote == null) {
            return remoteAddress == null || remoteAddress.isBlank() ? UNKNOWN : remoteAddress.trim();
        }
        if (!trustedProxies.contains(TRUSTED, remote) || forwardedFor == null || forwardedFor.isEmpty()) {
            return remote;
        }
        String last = null;
        for (String header : forwardedFor) {
            if (header == null) {
                continue;
            }
            for (String entry : header.split(",")) {
                if (!entry.isBlank()) {
                    last = entry;
                }
            }
        }
        String client = normalise(last);
        return client == null ? remote : client;
    }

    /**
     * The canonical text of an IP literal (IPv6 in full form, an IPv4-mapped IPv6 address as IPv4; brackets, a port
     * or an IPv6 zone dropped), or null for anything else. Never a DNS lookup.
     */
    static String normalise(String address) {
        if (address == null) {
            return null;
        }
        String a = address.trim();
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            if (end < 0) {
                return null;
            }
            a = a.substring(1, end);
        }
        var withPort = IPV4_WITH_PORT.matcher(a);
        if (withPort.matches()) {
            a = withPort.group(1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        try {
            if (IPV4.matcher(a).matches()) {
                for (String octet : a.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        return null;
                    }
                }
                return InetAddress.getByName(a).getHostAddress();
            }
            if (IPV6.matcher(a).matches()) {
                // in brackets, the resolver parses an IPv6 literal or fails; it never looks the text up as a name
                return InetAddress.getByName("[" + a + "]").getHostAddress();
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
