package io.palisade.benchmarks.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.palisade.benchmarks.BusyClusterTraffic;
import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;
import io.palisade.detection.engine.IpLists;
import io.palisade.detection.engine.RuleFixtures;
import io.palisade.detection.engine.RuleLoader;

/**
 * What the load driver sends: benign traffic of a busy cluster ({@link BusyClusterTraffic}) with a share of attacks,
 * each stamped with the time it is sent and a fresh audit id.
 *
 * <p>
 * An attack is one of the rule fixtures' "fire" cases made <em>unique</em>: a value its rule correlates on (the
 * object's name, else the user's name, else the namespace) gets a serial-number suffix everywhere it appears, so that
 * every attack is an alert of its own (attacks on the same entity within the correlation window would rightly be one
 * alert). A case is used only when, checked with the shipped catalogue and the stack's default threat-intelligence
 * lists (none), its unique copies fire exactly their own rule and correlate apart; every attack sent is checked so
 * again before it leaves. Anomaly rules are left out: whether they fire depends on what the stack has learnt.
 */
final class AttackTraffic {
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Where a case's correlation value is looked for, in order. */
    private static final List<String> UNIQUE_FIELDS = List.of("objectRef.name", "user.username", "objectRef.namespace");

    /** One event to send: its audit id, the rule it must fire (null for benign traffic) and the event. */
    record Event(String auditId, DetectionRule rule, ObjectNode json) {
        boolean malicious() {
            return rule != null;
        }
    }

    private record Attack(DetectionRule rule, String caseName, ObjectNode event, String field, String value) {
    }

    private final DetectionEngine engine;
    private final List<Attack> attacks;
    private final Map<String, String> leftOut;
    private final BusyClusterTraffic benign;
    private final Random random;
    private final double maliciousShare;
    private final AtomicLong serial = new AtomicLong();
    private final String runTag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    AttackTraffic(long seed, double maliciousShare) {
        this.random = new Random(seed);
        this.maliciousShare = maliciousShare;
        this.benign = new BusyClusterTraffic(new Random(seed + 1));
        List<DetectionRule> rules = stackCatalogue();
        this.engine = new DetectionEngine(rules);
        Map<String, DetectionRule> byId = new TreeMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        this.attacks = new ArrayList<>();
        this.leftOut = new TreeMap<>();
        try {
            for (RuleFixtures.FixtureFile file : RuleFixtures.load().values()) {
                DetectionRule rule = byId.get(file.ruleId());
                if (rule == null || rule.baseline() != null) {
                    leftOut.put(file.ruleId(), rule == null ? "not in the catalogue" : "anomaly rule (baseline)");
                    continue;
                }
                for (RuleFixtures.Case c : file.fire()) {
                    uniqueVariant(rule, c).ifPresent(attacks::add);
                }
                if (attacks.stream().noneMatch(a -> a.rule() == rule)) {
                    leftOut.put(rule.id(), "no fire case can be made unique and fire only its rule");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule fixtures", e);
        }
        if (attacks.isEmpty()) {
            throw new IllegalStateException("no attack could be built from the rule fixtures");
        }
    }

    /** The shipped control-plane catalogue with empty threat-intelligence lists, as a fresh stack has it. */
    private static List<DetectionRule> stackCatalogue() {
        try (InputStream in = AttackTraffic.class.getClassLoader().getResourceAsStream(RuleFixtures.CATALOGUE)) {
            if (in == null) {
                throw new IllegalStateException(RuleFixtures.CATALOGUE + " is not on the classpath");
            }
            return new RuleLoader(new IpLists()).loadFile(in, RuleFixtures.CATALOGUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Attack> uniqueVariant(DetectionRule rule, RuleFixtures.Case c) {
        ObjectNode event = (ObjectNode) c.event();
        for (String field : UNIQUE_FIELDS) {
            JsonNode value = at(event, field);
            if (!value.isTextual() || value.asText().isEmpty()) {
                continue;
            }
            Attack attack = new Attack(rule, c.name(), event, field, value.asText());
            ObjectNode first = attack(attack, "probe1");
            ObjectNode second = attack(attack, "probe2");
            if (firesOnly(rule, first) && firesOnly(rule, second)
                    && !rule.entityKey(first).equals(rule.entityKey(second))) {
                return Optional.of(attack);
            }
        }
        return Optional.empty();
    }

    private boolean firesOnly(DetectionRule rule, JsonNode event) {
        List<DetectionRule> fired = engine.evaluate(event, DetectionEngine.BaselineJudge.NOTHING_IS_RARE);
        return fired.size() == 1 && fired.get(0) == rule;
    }

    private static JsonNode at(JsonNode node, String dotted) {
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    /** A copy of the case's event with every occurrence of its correlation value given the suffix. */
    private static ObjectNode attack(Attack attack, String suffix) {
        ObjectNode copy = attack.event().deepCopy();
        replaceText(copy, attack.value(), attack.value() + "-" + suffix);
        return copy;
    }

    private static void replaceText(JsonNode node, String from, String to) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isTextual() && field.getValue().asText().equals(from)) {
                    field.setValue(TextNode.valueOf(to));
                } else {
                    replaceText(field.getValue(), from, to);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual() && array.get(i).asText().equals(from)) {
                    array.set(i, TextNode.valueOf(to));
                } else {
                    replaceText(array.get(i), from, to);
                }
            }
        }
    }

    /** The next event, stamped now. Attacks are checked to fire exactly their rule before they are handed out. */
    synchronized Event next(Instant now) {
        String auditId = UUID.randomUUID().toString();
        ObjectNode json;
        DetectionRule rule = null;
        if (random.nextDouble() < maliciousShare) {
            Attack attack = attacks.get(random.nextInt(attacks.size()));
            json = attack(attack, runTag + "-" + serial.incrementAndGet());
            rule = attack.rule();
        } else {
            json = benign.next();
        }
        json.put("auditID", auditId);
        String time = MICROS.format(now);
        json.put("requestReceivedTimestamp", time).put("stageTimestamp", time);
        if (rule != null && !firesOnly(rule, json)) {
            throw new IllegalStateException("an attack of " + rule.id() + " does not fire only its rule once made "
                    + "unique: " + json);
        }
        return new Event(auditId, rule, json);
    }

    /** The alert types the attacks cover. */
    TreeSet<String> alertTypes() {
        TreeSet<String> types = new TreeSet<>();
        attacks.forEach(a -> types.add(a.rule().alertType()));
        return types;
    }

    int attackCases() {
        return attacks.size();
    }

    /** Rules no attack is built for, and why. */
    Map<String, String> leftOut() {
        return leftOut;
    }
}
