package io.palisade.detection.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * Times in events: RFC 3339, whose years have four digits. Java reads far more ("+1000000000-01-01T00:00:00Z"), which
 * no clock wrote and which neither correlation windows (milliseconds in a long) nor PostgreSQL can hold: such a
 * time is as unreadable as a malformed one, and the event is refused at ingest, naming it.
 *
 * <p>
 * Every event's times are read at ingest, by the detector and by the archive, so the form API servers write
 * ({@code 2026-11-21T10:15:30.123456Z}, or with an offset {@code +01:00}) is read directly; anything else, including
 * every malformed time, goes to {@link OffsetDateTime#parse}, which decides as before. Both give the same instant
 * ({@code EventTimesTest}).
 */
public final class EventTimes {
    private static final int FIRST_YEAR = 1;
    private static final int LAST_YEAR = 9999;
    private static final int[] SCALE = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000 };

    private EventTimes() {
    }

    /** The instant of an RFC 3339 time of years 1 to 9999; null if unreadable or outside. */
    public static Instant parseOrNull(String text) {
        Instant usual = usualFormOrNull(text);
        return usual != null ? usual : parseGenerallyOrNull(text);
    }

    /** {@link #parseOrNull} by {@link OffsetDateTime#parse} alone. */
    static Instant parseGenerallyOrNull(String text) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(text);
            return time.getYear() < FIRST_YEAR || time.getYear() > LAST_YEAR ? null : time.toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction of 1-9 digits](Z|+HH:MM|-HH:MM)} with every field in its usual range,
     * read where it stands; null for anything else (then {@link #parseGenerallyOrNull} decides).
     */
    private static Instant usualFormOrNull(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < FIRST_YEAR || month < 1 || month > 12 || day < 1
                || day > 28 && day > Month.of(month).length(Year.isLeap(year)) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (t.charAt(at) == '.') {
            int start = ++at;
            while (at < n && at - start < 9 && isDigit(t.charAt(at))) {
                nanos = nanos * 10 + t.charAt(at++) - '0';
            }
            if (at == start || at < n && isDigit(t.charAt(at))) {
                return null;
            }
            nanos *= SCALE[9 - (at - start)];
        }
        int offsetSeconds;
        if (at == n - 1 && t.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == n - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
            int offsetHours = digits(t, at + 1, 2);
            int offsetMinutes = digits(t, at + 4, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (t.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The number written by {@code count} ASCII digits at {@code from}; -1 if any is not one. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
