package io.palisade.detection.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EventTimesTest {
    @Test
    void theFormApiServersWriteIsReadAsJavaReadsIt() {
        assertEquals(Instant.parse("2026-11-21T10:15:30.123456Z"), EventTimes.parseOrNull("2026-11-21T10:15:30.123456Z"));
        assertEquals(Instant.parse("2026-11-21T09:15:30Z"), EventTimes.parseOrNull("2026-11-21T10:15:30+01:00"));
        assertEquals(Instant.parse("2024-02-29T23:59:59.999999999Z"),
                EventTimes.parseOrNull("2024-02-29T23:59:59.999999999Z"));
        assertEquals(Instant.parse("0001-01-01T00:00:00Z"), EventTimes.parseOrNull("0001-01-01T00:00:00Z"));
        assertEquals(Instant.parse("9999-12-31T23:59:59.1Z"), EventTimes.parseOrNull("9999-12-31T23:59:59.1Z"));
        for (String unreadable : List.of("2023-02-29T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T10:15:30",
                "2026-11-21T10:15:30.1234567890Z", "0000-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T10:15:60Z", "2026-11-21 10:15:30Z")) {
            assertNull(EventTimes.parseOrNull(unreadable), unreadable);
        }
        assertEquals(Instant.parse("2026-11-21T10:15:30Z"), EventTimes.parseOrNull("2026-11-21t10:15:30z"),
                "what Java reads beyond the usual form is still read");
        assertEquals(Instant.parse("2026-11-21T10:15:30Z"), EventTimes.parseOrNull("2026-11-21T10:15:30.Z"));
    }

    @Test
    void everyTimeIsReadAsJavaAloneReadsIt() {
        Random random = new Random(2026_11_21L);
        List<String> seeds = List.of("2026-11-21T10:15:30.123456Z", "2024-02-29T00:00:00Z", "1999-12-31T23:59:59+14:00",
                "2000-01-01T00:00:00.5-08:30", "2026-04-30T12:00:00.000000001+18:00");
        String alphabet = "0123456789-:T.Zz+ tx";
        int read = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, c);
                    case 1 -> text.insert(at, c);
                    default -> text.deleteCharAt(at);
                }
            }
            String time = text.toString();
            Instant expected = EventTimes.parseGenerallyOrNull(time);
            assertEquals(expected, EventTimes.parseOrNull(time), time);
            read += expected == null ? 0 : 1;
        }
        assertTrue(read > 50_000 && read < 190_000, read + " of 200,000 readable");
    }
}
