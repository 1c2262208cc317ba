package io.palisade.detection.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The anomaly decision of a baseline rule, apart from where the baseline is kept. A subject (a service account)
 * learns for {@code learningPeriod} from the first time it is seen; after that, an operation it has never performed
 * is rare. The decision for an operation is remembered with the audit id that first performed it, so a redelivered
 * event gets the same answer again (the alert is not lost, nor raised twice).
 */
public final class BaselineDecision {
    private BaselineDecision() {
    }

    /** What the baseline knows of one operation of one subject. */
    public record KnownOperation(Instant firstSeen, String firstAuditId, boolean wasRare) {
    }

    /**
     * @param subjectFirstSeen when the subject was first seen (this event's time if it is new)
     * @param known            the operation as known before this event, or null if never seen
     * @return whether the event is rare, and what to remember of the operation (null: nothing changes)
     */
    public static Outcome decide(Instant subjectFirstSeen, KnownOperation known, Instant eventTime, String auditId,
            Duration learningPeriod) {
        if (known != null) {
            boolean sameEvent = known.firstAuditId().equals(auditId);
            return new Outcome(sameEvent && known.wasRare(), null);
        }
        boolean learning = eventTime.isBefore(subjectFirstSeen.plus(learningPeriod));
        return new Outcome(!learning, new KnownOperation(eventTime, auditId, !learning));
    }

    public record Outcome(boolean rare, KnownOperation remember) {
    }

    /** The operation key: the values of the rule's operation fields, joined. */
    public static String operationKey(DetectionRule.Baseline baseline, com.fasterxml.jackson.databind.JsonNode event) {
        StringBuilder key = new StringBuilder();
        for (FieldCatalogue.FieldPath field : baseline.operation()) {
            var values = field.values(event);
            key.append(values.isEmpty() ? "" : values.get(0).asText()).append('|');
        }
        return key.toString();
    }
}
