package io.palisade.alert.export;

import java.util.List;

/** Our alert severities, their order (for "this severity and above" filters) and what SIEMs get for them. */
public final class ExportSeverity {
    /** Lowest first; the index is the rank. */
    public static final List<String> NAMES = List.of("Informational", "Low", "Medium", "High");

    private ExportSeverity() {
    }

    /** 0 for Informational up to 3 for High; an unknown severity ranks lowest. */
    public static int rank(String severity) {
        int rank = NAMES.indexOf(severity);
        return Math.max(rank, 0);
    }

    /** CEF Severity (0–10): ArcSight reads 0–3 as Low, 4–6 Medium, 7–8 High, 9–10 Very-High. */
    public static int cef(String severity) {
        return switch (severity == null ? "" : severity) {
            case "High" -> 8;
            case "Medium" -> 5;
            case "Low" -> 3;
            default -> 1;
        };
    }

    /** Syslog severity of the PRI (RFC 5424): 2 critical, 4 warning, 5 notice, 6 informational. */
    public static int syslog(String severity) {
        return switch (severity == null ? "" : severity) {
            case "High" -> 2;
            case "Medium" -> 4;
            case "Low" -> 5;
            default -> 6;
        };
    }
}
