package io.palisade.detection.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;

import io.palisade.common.messaging.EventCodec;

/**
 * Evaluates a catalogue of rules over audit events. Condition rules are pure; anomaly rules (those with a
 * {@code baseline}) also ask a {@link BaselineJudge}, which remembers what each subject did before.
 *
 * <p>
 * Most rules require a verb and a resource ({@code all} of them starting with {@code verb in [...]} and
 * {@code objectRef.resource in [...]}): the engine reads both once per event and skips the rules they rule out,
 * which is exactly what those rules' own tests would conclude (the rules left for each pair are worked out once). An
 * event whose verb or resource is not a single plain value (an array, a mapping) is tested by every rule in full.
 *
 * <p>
 * An event may be given whole or as {@link #read} reads it from JSON: only the parts the rules read
 * ({@link FieldIndex}), which is what the detector does with each event; both give the same answer.
 */
public final class DetectionEngine {
    private static final String VERB = "verb";
    private static final String RESOURCE = "objectRef.resource";
    /** Marks a verb or resource that is not one plain value: the event is tested by every rule in full. */
    private static final String NOT_INDEXABLE = new String("not indexable");
    /** How many verb/resource pairs {@link #candidates} remembers. */
    private static final int MAX_REMEMBERED_PAIRS = 4096;

    private final List<DetectionRule> rules;
    private final List<IndexedRule> indexed;
    private final FieldIndex fields;
    /** {@link #candidates} by verb and resource. */
    private final Map<String, Map<String, List<IndexedRule>>> candidatesByVerb = new ConcurrentHashMap<>();
    private final AtomicInteger rememberedPairs = new AtomicInteger();

    /** Decides whether an event's operation is new for its subject, and remembers it. */
    @FunctionalInterface
    public interface BaselineJudge {
        boolean isRare(DetectionRule rule, JsonNode event);

        /** A judge that has seen everything: anomaly rules never fire (pure evaluation, tools). */
        BaselineJudge NOTHING_IS_RARE = (rule, event) -> false;
    }

    /** A rule with the verbs and resources its condition requires (null: any). */
    private record IndexedRule(DetectionRule rule, Set<String> verbs, Set<String> resources) {
        boolean ruledOut(String verb, String resource) {
            return verbs != null && (verb == null || !verbs.contains(verb))
                    || resources != null && (resource == null || !resources.contains(resource));
        }
    }

    public DetectionEngine(List<DetectionRule> rules) {
        this.rules = List.copyOf(rules);
        this.indexed = this.rules.stream()
                .map(r -> new IndexedRule(r, required(r.condition(), VERB), required(r.condition(), RESOURCE)))
                .toList();
        this.fields = FieldIndex.of(this.rules, EventCodec.mapper().getNodeFactory());
    }

    /**
     * The parts of one event's JSON these rules read, for {@link #evaluate}: everything else of the event is checked
     * and skipped ({@link FieldIndex}).
     */
    public JsonNode read(String json) throws JsonParseException {
        return fields.read(json);
    }

    /**
     * {@link #read(String)} of UTF-8 JSON as a Kafka record holds it, read where it stands (malformed UTF-8 reads as
     * U+FFFD, as {@code new String(json, UTF_8)} has it).
     */
    public JsonNode read(byte[] json) throws JsonParseException {
        return fields.read(json);
    }

    /** What these rules read of an event ({@link #read}). */
    public FieldIndex fields() {
        return fields;
    }

    public List<DetectionRule> rules() {
        return rules;
    }

    /** The condition rules that fire for the event (anomaly rules never fire without a judge). */
    public List<DetectionRule> evaluate(JsonNode event) {
        return evaluate(event, BaselineJudge.NOTHING_IS_RARE);
    }

    /** The rules whose condition holds for the event, none of whose exceptions does, and, for anomaly rules, rare. */
    public List<DetectionRule> evaluate(JsonNode event, BaselineJudge judge) {
        String verb = plainValue(event.get(VERB));
        JsonNode objectRef = event.get("objectRef");
        String resource = plainValue(objectRef == null ? null : objectRef.get("resource"));
        boolean indexable = verb != NOT_INDEXABLE && resource != NOT_INDEXABLE;
        List<DetectionRule> fired = new ArrayList<>(1);
        for (IndexedRule candidate : indexable ? candidates(verb, resource) : indexed) {
            DetectionRule rule = candidate.rule();
            if (rule.matches(event) && (rule.baseline() == null || judge.isRare(rule, event))) {
                fired.add(rule);
            }
        }
        return fired;
    }

    /**
     * The rules an event of the verb and resource is not ruled out for, in catalogue order: worked out once for each
     * pair (the first {@value #MAX_REMEMBERED_PAIRS} pairs are remembered; others, from clusters that send many
     * resources no one has heard of, are worked out each time).
     */
    private List<IndexedRule> candidates(String verb, String resource) {
        Map<String, List<IndexedRule>> byResource = verb == null ? null : candidatesByVerb.get(verb);
        List<IndexedRule> candidates = byResource == null || resource == null ? null : byResource.get(resource);
        if (candidates != null) {
            return candidates;
        }
        candidates = indexed.stream().filter(c -> !c.ruledOut(verb, resource)).toList();
        if (verb != null && resource != null && rememberedPairs.get() < MAX_REMEMBERED_PAIRS
                && candidatesByVerb.computeIfAbsent(verb, v -> new ConcurrentHashMap<>())
                        .putIfAbsent(resource, candidates) == null) {
            rememberedPairs.incrementAndGet();
        }
        return candidates;
    }

    /**
     * The values a condition requires of a field: those of an {@code equals}, {@code in} or {@code allIn} test of it
     * that the condition (or every part of its top-level {@code all}) must pass; null when it requires none.
     */
    static Set<String> required(Condition condition, String field) {
        List<Condition> parts = condition instanceof Condition.All all ? all.conditions() : List.of(condition);
        for (Condition part : parts) {
            if (part instanceof Condition.Match match && match.field().name().equals(field)
                    && (match.operator() == Condition.Operator.equals || match.operator() == Condition.Operator.in
                            || match.operator() == Condition.Operator.allIn)) {
                return match.operands();
            }
        }
        return null;
    }

    /** The field's text as a test reads it; null when absent; {@link #NOT_INDEXABLE} when not one plain value. */
    private static String plainValue(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : NOT_INDEXABLE;
    }
}
