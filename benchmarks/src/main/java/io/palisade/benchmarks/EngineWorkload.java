package io.palisade.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palisade.common.messaging.EventCodec;
import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.RuleFixtures;

/**
 * What the benchmark feeds the engine: the shipped catalogue and a seeded mix of audit events, already serialized to
 * JSON bytes. Most events are benign traffic of a busy cluster ({@link BusyClusterTraffic}); a share of them are the
 * "fire" cases of the rule fixtures, every case at least once, so that every alert type of the catalogue is in the
 * mix. The same seed gives the same bytes.
 *
 * <p>
 * The anomaly rule ({@code service-account-rare-operation}) is judged by the fixtures' in-memory baseline, taught the
 * baseline fixtures' history first ({@link #newBaseline()}); it answers the same for a redelivered event (same
 * audit id), so the mix can be replayed any number of times with the same outcome.
 */
public final class EngineWorkload {
    public static final long DEFAULT_SEED = 20261121L;
    public static final int DEFAULT_EVENTS = 20_000;
    public static final double DEFAULT_MALICIOUS_SHARE = 0.03;

    private final List<DetectionRule> rules;
    private final DetectionEngine engine;
    private final List<JsonNode> history;
    private final List<byte[]> events;
    /** For each event of {@link #events}: the rule its case must fire, or null for benign traffic. */
    private final List<String> expectedRule;

    private EngineWorkload(List<DetectionRule> rules, List<JsonNode> history, List<byte[]> events,
            List<String> expectedRule) {
        this.rules = rules;
        this.engine = new DetectionEngine(rules);
        this.history = history;
        this.events = events;
        this.expectedRule = expectedRule;
    }

    /** The ObjectMapper the service reads audit events with. */
    public static ObjectMapper mapper() {
        return EventCodec.mapper();
    }

    public static EngineWorkload build(long seed, int size, double maliciousShare) {
        if (size < 1 || maliciousShare < 0 || maliciousShare >= 1) {
            throw new IllegalArgumentException("need at least one event and a malicious share in [0, 1)");
        }
        try {
            List<DetectionRule> rules = RuleFixtures.catalogue();
            Map<String, RuleFixtures.FixtureFile> fixtures = RuleFixtures.load();
            Random random = new Random(seed);

            // Every fire case once (so every rule, hence every alert type, is covered), then random ones.
            List<String[]> malicious = new ArrayList<>();
            List<String[]> cases = new ArrayList<>();
            List<JsonNode> history = new ArrayList<>();
            for (RuleFixtures.FixtureFile file : fixtures.values()) {
                history.addAll(file.history());
                int index = 0;
                for (RuleFixtures.Case c : file.fire()) {
                    ObjectNode event = (ObjectNode) c.event().deepCopy();
                    // a fixed audit id per case: the random one of the fixture reader would change the bytes
                    event.put("auditID", UUID.nameUUIDFromBytes((file.ruleId() + "#" + index++)
                            .getBytes(StandardCharsets.UTF_8)).toString());
                    cases.add(new String[] {file.ruleId(), mapper().writeValueAsString(event)});
                }
            }
            int maliciousCount = Math.max((int) Math.round(size * maliciousShare), cases.size());
            malicious.addAll(cases);
            while (malicious.size() < maliciousCount) {
                malicious.add(cases.get(random.nextInt(cases.size())));
            }

            BusyClusterTraffic traffic = new BusyClusterTraffic(random);
            List<Object[]> mix = new ArrayList<>();
            for (int i = 0; i < Math.max(size - maliciousCount, 0); i++) {
                mix.add(new Object[] {null, mapper().writeValueAsBytes(traffic.next())});
            }
            for (String[] m : malicious) {
                mix.add(new Object[] {m[0], m[1].getBytes(StandardCharsets.UTF_8)});
            }
            Collections.shuffle(mix, random);
            List<byte[]> events = new ArrayList<>(mix.size());
            List<String> expected = new ArrayList<>(mix.size());
            for (Object[] entry : mix) {
                expected.add((String) entry[0]);
                events.add((byte[]) entry[1]);
            }
            return new EngineWorkload(rules, history, List.copyOf(events), Collections.unmodifiableList(expected));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an event", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue or the rule fixtures", e);
        }
    }

    public DetectionEngine engine() {
        return engine;
    }

    public List<byte[]> events() {
        return events;
    }

    /**
     * A fresh in-memory baseline in the steady state of a cluster that has run for a while: it has learnt the benign
     * traffic's operations (a controller's usual work is known), then seen the history of the baseline rules'
     * fixtures, then the anomaly rule's fire cases once. The benign traffic comes first so that fixture events of
     * other years (Falco's, by {@code kube-system:replicaset-controller}) do not turn the controllers' daily work into
     * rare operations.
     */
    public DetectionEngine.BaselineJudge newBaseline() {
        RuleFixtures.InMemoryBaseline judge = new RuleFixtures.InMemoryBaseline();
        try {
            for (int i = 0; i < events.size(); i++) {
                if (expectedRule.get(i) == null) {
                    engine.evaluate(engine.read(events.get(i)), judge);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode event : history) {
            engine.evaluate(event, judge);
        }
        // The anomaly rule's own cases come first: other fixtures' cases reuse their service accounts and operations
        // (shop/web reading a secret), and whichever the baseline saw first would be the one rare event.
        Map<String, DetectionRule> rulesById = new TreeMap<>();
        rules.forEach(r -> rulesById.put(r.id(), r));
        try {
            for (int i = 0; i < events.size(); i++) {
                String expected = expectedRule.get(i);
                if (expected != null && rulesById.get(expected).baseline() != null) {
                    engine.evaluate(engine.read(events.get(i)), judge);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return judge;
    }

    /** What the mix is made of and what the engine fires on it. */
    public record Check(int rules, int benign, int malicious, long bytes, int benignThatFired,
            int maliciousMissingTheirRule, int maliciousOnlyTheirRule, Map<String, Integer> maliciousByAlertType,
            Map<String, Integer> alsoFired, Map<String, Integer> benignByOperation, List<String> problems) {

        public boolean passed() {
            return problems.isEmpty();
        }

        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("workload: %,d events (%,d benign, %,d malicious = %.1f%%), %,d bytes, %,d bytes "
                    + "per event on average%n", benign + malicious, benign, malicious,
                    100.0 * malicious / (benign + malicious), bytes, bytes / (benign + malicious)));
            s.append("benign by verb and level: ").append(benignByOperation).append(System.lineSeparator());
            s.append(String.format("check: benign events that fired a rule: %d; malicious events that did not fire "
                    + "their rule: %d; malicious events that fired only their rule: %,d of %,d%n", benignThatFired,
                    maliciousMissingTheirRule, maliciousOnlyTheirRule, malicious));
            s.append(String.format("alert types covered: %d (catalogue: %d rules) %s%n", maliciousByAlertType.size(),
                    rules, maliciousByAlertType));
            if (!alsoFired.isEmpty()) {
                s.append("rules fired besides the case's own (by the fixture's user, image...): ").append(alsoFired)
                        .append(System.lineSeparator());
            }
            problems.stream().limit(10).forEach(p -> s.append("PROBLEM: ").append(p).append(System.lineSeparator()));
            return s.toString();
        }
    }

    /**
     * Evaluates every event once, as the benchmark does: benign events must fire nothing and every malicious event
     * its own rule, and every rule of the catalogue must be fired by the mix. Otherwise the benchmark would measure
     * something else than a detection pipeline on realistic traffic.
     */
    public Check check() {
        DetectionEngine.BaselineJudge judge = newBaseline();
        Map<String, String> alertTypes = new TreeMap<>();
        rules.forEach(r -> alertTypes.put(r.id(), r.alertType()));
        int benign = 0;
        int malicious = 0;
        long bytes = 0;
        int benignFired = 0;
        int missing = 0;
        int onlyOwn = 0;
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> also = new TreeMap<>();
        Map<String, Integer> benignByOperation = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            byte[] bytesOfEvent = events.get(i);
            bytes += bytesOfEvent.length;
            JsonNode event;
            List<String> fired;
            try {
                event = mapper().readTree(bytesOfEvent);
                fired = engine.evaluate(engine.read(bytesOfEvent), judge).stream().map(DetectionRule::id).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String expected = expectedRule.get(i);
            if (expected == null) {
                benign++;
                benignByOperation.merge(event.path("verb").asText() + "/" + event.path("level").asText(), 1,
                        Integer::sum);
                if (!fired.isEmpty()) {
                    benignFired++;
                    problems.add("benign event fired " + fired + ": "
                            + new String(bytesOfEvent, StandardCharsets.UTF_8));
                }
            } else {
                malicious++;
                byType.merge(alertTypes.get(expected), 1, Integer::sum);
                if (!fired.contains(expected)) {
                    missing++;
                    problems.add("malicious event for " + expected + " fired " + fired + ": "
                            + new String(bytesOfEvent, StandardCharsets.UTF_8));
                } else if (fired.size() == 1) {
                    onlyOwn++;
                } else {
                    fired.stream().filter(id -> !id.equals(expected)).forEach(id -> also.merge(id, 1, Integer::sum));
                }
            }
        }
        TreeSet<String> uncovered = new TreeSet<>(alertTypes.values());
        uncovered.removeAll(byType.keySet());
        if (!uncovered.isEmpty()) {
            problems.add("alert types of the catalogue missing from the mix: " + uncovered);
        }
        return new Check(rules.size(), benign, malicious, bytes, benignFired, missing, onlyOwn, byType, also,
                benignByOperation, problems);
    }
}
