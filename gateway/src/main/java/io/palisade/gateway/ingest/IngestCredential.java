package io.palisade.gateway.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;

/**
 * The credential a cluster presents on {@code /ingest/**}: its ingest token as a bearer token, or as Amazon Data
 * Firehose's access-key header. A user's OIDC token (a JWT) is never an ingest credential.
 */
public record IngestCredential(String token) {
    public static final String FIREHOSE_ACCESS_KEY = "X-Amz-Firehose-Access-Key";
    /** A JWS compact serialisation: three base64url parts, the header starting with {"… */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    public static Optional<IngestCredential> of(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(new IngestCredential(token));
        }
        String firehose = request.getHeader(FIREHOSE_ACCESS_KEY);
        return firehose == null || firehose.isBlank() ? Optional.empty()
                : Optional.of(new IngestCredential(firehose.trim()));
    }

    public boolean looksLikeUserToken() {
        return JWT.matcher(token).matches();
    }

    /** The key of the cluster's rate-limit bucket: a digest, so tokens are never kept in memory as such. */
    public String clusterKey() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "IngestCredential[redacted]";
    }
}
