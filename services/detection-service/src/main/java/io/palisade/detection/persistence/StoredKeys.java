package io.palisade.detection.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Values Palisade keys rows by (audit ids, baseline subjects and operations) come from events, where they can be of
 * any length: a value longer than its column is keyed by its digest ({@code sha256:<hex>}, 71 characters) instead,
 * so such an event is still archived and detected rather than failing on a column or index size.
 */
public final class StoredKeys {
    private StoredKeys() {
    }

    /** The value itself when it has at most {@code maxChars} characters, else {@code sha256:<hex>} of it. */
    public static String keyOf(String value, int maxChars) {
        return value.length() <= maxChars ? value : digest(value);
    }

    /** {@code sha256:<hex>} of the text's UTF-8 bytes. */
    public static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
