package io.palisade.detection.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Times in events: RFC 3339, whose years have four digits. Java reads far more ("+1000000000-01-01T00:00:00Z"), which
 * no clock wrote and which neither correlation windows (milliseconds in a long) nor PostgreSQL can hold: such a
 * time is as unreadable as a malformed one, and the event is refused at ingest, naming it.
 */
public final class EventTimes {
    private static final int FIRST_YEAR = 1;
    private static final int LAST_YEAR = 9999;

    private EventTimes() {
    }

    /** The instant of an RFC 3339 time of years 1 to 9999; null if unreadable or outside. */
    public static Instant parseOrNull(String text) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(text);
            return time.getYear() < FIRST_YEAR || time.getYear() > LAST_YEAR ? null : time.toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
