package io.palisade.alert.export;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.rest.AlertView;

/**
 * POSTs an alert in the alerts-API JSON shape, signed: {@code X-Palisade-Signature: sha256=<hex HMAC-SHA256 of the
 * body with the export's secret>}. Any 2xx is delivered; anything else, a timeout or a refused connection fails. A 4xx
 * other than 408 and 429 is permanent: the receiver refuses this record, so retrying it cannot help. The request
 * timeout bounds the whole exchange, response body included (HTTP/1.1 only, no h2c upgrade).
 */
@ApplicationScoped
public class WebhookSender {
    public static final String SIGNATURE = "X-Palisade-Signature";
    public static final String DELIVERY = "X-Palisade-Delivery";
    public static final String EVENT = "X-Palisade-Event";

    private final ExportConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public WebhookSender(ExportConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public void send(AlertExport export, Alert alert, String changeKind, String deliveryId)
            throws DeliveryFailedException {
        try {
            post(export, alert, changeKind, deliveryId);
        } catch (RuntimeException e) {
            // e.g. a stored URL HttpClient refuses (IllegalArgumentException): a failed delivery, never a 500
            throw new DeliveryFailedException("POST " + export.url + " failed: " + describe(e), e);
        }
    }

    private void post(AlertExport export, Alert alert, String changeKind, String deliveryId)
            throws DeliveryFailedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(AlertView.of(alert, null));
        } catch (JsonProcessingException e) {
            throw new DeliveryFailedException("cannot render the alert: " + e.getOriginalMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(export.url))
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Palisade-alert-service")
                .header(SIGNATURE, "sha256=" + sign(export.secret, body))
                .header(DELIVERY, deliveryId)
                .header(EVENT, changeKind)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // HttpRequest.timeout covers only the response headers: bound the body (a stalled receiver) here too
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> response;
        try {
            response = exchange.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new DeliveryFailedException("POST " + export.url + " failed: no complete answer within "
                    + config.requestTimeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DeliveryFailedException("POST " + export.url + " failed: "
                    + describe(cause instanceof Exception c ? c : e), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean permanent = status / 100 == 4 && status != 408 && status != 429;
            throw new DeliveryFailedException("POST " + export.url + " answered HTTP " + status
                    + (permanent ? " (the receiver refuses this record)" : ""), permanent, null);
        }
    }

    /** Hex HMAC-SHA256 of {@code body} keyed with {@code secret} (UTF-8). */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        if ((message == null || message.isBlank()) && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        if ((message == null || message.isBlank()) && e instanceof java.net.ConnectException) {
            message = "connection refused or unreachable";
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
