package io.palisade.alert.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palisade.alert.persistence.Alert;
import io.palisade.alert.rest.AlertView;

/**
 * POSTs an alert in the alerts-API JSON shape, signed: {@code X-Palisade-Signature: sha256=<hex HMAC-SHA256 of the
 * body with the export's secret>}. Any 2xx is delivered; anything else, a timeout or a refused connection fails.
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
                .build();
    }

    public void send(AlertExport export, Alert alert, String changeKind, String deliveryId)
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
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new DeliveryFailedException("POST " + export.url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryFailedException("POST " + export.url + " answered HTTP " + response.statusCode());
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
