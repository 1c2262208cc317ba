package io.palisade.alert.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.palisade.alert.persistence.Alert;

/**
 * Sends one alert change as an RFC 5424 record with a CEF body: over TCP as one LF-terminated line (non-transparent
 * framing, which is what most SIEM syslog inputs accept; the record holds no CR/LF), over UDP as one datagram (a
 * record larger than a datagram can carry is a permanent failure).
 */
@ApplicationScoped
public class SyslogSender {
    /** The largest UDP payload over IPv4: 65,535 − 8 (UDP header) − 20 (IP header). */
    static final int MAX_DATAGRAM = 65_507;

    private final ExportConfig config;
    private final String hostname;

    public SyslogSender(ExportConfig config) {
        this.config = config;
        this.hostname = config.syslogHostname().orElseGet(SyslogSender::localHostname);
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    public String line(Alert alert, String changeKind) {
        return CefRecord.syslogLine(alert, changeKind, config.syslogFacility(), hostname, config.productVersion(),
                Instant.now());
    }

    public void send(AlertExport export, Alert alert, String changeKind) throws DeliveryFailedException {
        String target = export.protocol + "://" + export.host + ":" + export.port;
        try {
            byte[] record = line(alert, changeKind).getBytes(StandardCharsets.UTF_8);
            if ("udp".equals(export.protocol)) {
                if (record.length > MAX_DATAGRAM) {
                    throw new DeliveryFailedException("syslog " + target + " failed: the record is " + record.length
                            + " bytes, more than a UDP datagram carries (" + MAX_DATAGRAM + ")", true, null);
                }
                InetSocketAddress address = new InetSocketAddress(export.host, export.port);
                if (address.isUnresolved()) {
                    throw new DeliveryFailedException("syslog " + target + " failed: unknown host " + export.host);
                }
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(record, record.length, address));
                }
            } else {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(export.host, export.port),
                            (int) config.connectTimeout().toMillis());
                    socket.setSoTimeout((int) config.requestTimeout().toMillis());
                    OutputStream out = socket.getOutputStream();
                    out.write(record);
                    out.write('\n');
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: e.g. a port InetSocketAddress refuses; a failed delivery, never a 500
            throw new DeliveryFailedException("syslog " + target + " failed: " + WebhookSender.describe(e), e);
        }
    }
}
