package io.palisade.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server standing in for the services: it answers every request with what it received (method, URI,
 * Authorization, body). alert-service is pointed at a port where nothing listens.
 */
public class EchoUpstream implements QuarkusTestResourceLifecycleManager {
    /** A path ending in /slow is answered after this long: longer than the gateway's test timeout. */
    static final long SLOW_MILLIS = 6000;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/slow")) {
                try {
                    Thread.sleep(SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String firehoseKey = exchange.getRequestHeaders().getFirst("X-Amz-Firehose-Access-Key");
            String json = "{\"method\":\"" + exchange.getRequestMethod() + "\",\"uri\":\"" + exchange.getRequestURI()
                    + "\",\"authorization\":\"" + auth + "\",\"firehoseAccessKey\":\"" + firehoseKey
                    + "\",\"bodyLength\":" + body.length() + "}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "palisade.services.connector.url", url,
                "palisade.services.plan.url", url,
                "palisade.services.detection.url", url,
                "palisade.services.alert.url", "http://127.0.0.1:" + freePort());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
