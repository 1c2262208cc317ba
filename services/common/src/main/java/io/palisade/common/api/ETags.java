package io.palisade.common.api;

import io.palisade.common.problem.ProblemException;

/**
 * Optimistic concurrency over HTTP: a resource's version is its ETag; an update sent with {@code If-Match} of an
 * older version is refused with 412, so two admins never silently overwrite each other.
 */
public final class ETags {
    private ETags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The version an {@code If-Match} header expects, or null when absent or {@code *} (any version). */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("If-Match", "is not an ETag this API issued: " + ifMatch);
        }
    }

    /** 412 unless the caller's expected version (if any) is the current one. */
    public static void check(Long expected, long current, String what) {
        if (expected != null && expected != current) {
            throw new ProblemException(412, "Precondition Failed", what + " was changed since you read it (ETag "
                    + of(current) + ", yours " + of(expected) + "); read it again and retry");
        }
    }
}
