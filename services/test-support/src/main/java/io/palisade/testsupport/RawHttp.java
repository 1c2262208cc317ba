package io.palisade.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request written byte for byte, for what HTTP clients refuse to send (a URL with a broken percent-escape, a
 * Content-Type that is no media type): the
 * status, the Content-Type and the body of the answer.
 */
public final class RawHttp {
    public record Answer(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    /** {@code GET target} on 127.0.0.1:port, with a bearer token, the connection closed after the answer. */
    public static Answer get(int port, String target, String bearerToken) {
        return send(port, "GET " + target, bearerToken, null, null);
    }

    /** A request with a body and a Content-Type header written as given (even empty). */
    public static Answer post(int port, String target, String bearerToken, String contentType, String body) {
        return send(port, "POST " + target, bearerToken, contentType, body);
    }

    private static Answer send(int port, String requestLine, String bearerToken, String contentType, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                .append("\r\nAuthorization: Bearer ").append(bearerToken).append("\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return parse(all.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? response : response.substring(0, headEnd);
        String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String contentType = null;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                contentType = line.substring("content-type:".length()).strip();
            }
        }
        return new Answer(status, contentType, body);
    }
}
