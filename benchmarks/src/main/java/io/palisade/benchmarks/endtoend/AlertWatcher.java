package io.palisade.benchmarks.endtoend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the benchmark connector's alerts through the alerts API, newest first, over and over, and notes when each
 * attack's audit id first appears in an alert's evidence: the "visible" half of POST → alert visible. A poll reads
 * pages of {@value #PAGE} until a page brings no alert it had not seen.
 */
final class AlertWatcher implements Runnable {
    static final int PAGE = 20;

    /** An attack in flight: the rule it must fire and when its batch was posted (System.nanoTime). */
    record Expected(String alertType, long postedNanos) {
    }

    private final StackApi api;
    private final UUID connectorId;
    private final Map<String, Expected> expected = new ConcurrentHashMap<>();
    private final Map<String, Expected> unconfirmed = new ConcurrentHashMap<>();
    private final Map<String, Long> visibleNanos = new ConcurrentHashMap<>();
    private final Set<String> seenAlerts = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile int polls;

    AlertWatcher(StackApi api, UUID connectorId) {
        this.api = api;
        this.connectorId = connectorId;
    }

    void expect(String auditId, String alertType, long postedNanos) {
        expected.put(auditId, new Expected(alertType, postedNanos));
    }

    /**
     * The batch was never accepted: its attacks are not owed an alert. Some of its events may have reached Kafka
     * before the refusal (the sender would retry them), so an alert of one is no error, but two would be.
     */
    void forget(String auditId) {
        Expected e = expected.remove(auditId);
        if (e != null) {
            unconfirmed.put(auditId, e);
        }
    }

    int expectedCount() {
        return expected.size();
    }

    int visibleCount() {
        return (int) expected.keySet().stream().filter(visibleNanos::containsKey).count();
    }

    int polls() {
        return polls;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                poll();
                polls++;
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                System.err.println("alert watcher: " + e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void poll() {
        for (int skip = 0;; skip += PAGE) {
            List<JsonNode> page = api.alerts(connectorId, skip, PAGE);
            long now = System.nanoTime();
            boolean anyNew = false;
            for (JsonNode alert : page) {
                if (seenAlerts.add(alert.path("name").asText())) {
                    anyNew = true;
                    for (String auditId : evidence(alert)) {
                        visibleNanos.putIfAbsent(auditId, now);
                    }
                }
            }
            if (!anyNew || page.size() < PAGE) {
                return;
            }
        }
    }

    /** The POST → visible latencies (ms) of the attacks posted between the two instants (nanoTime). */
    List<Double> latenciesMillis(long fromNanos, long toNanos) {
        List<Double> latencies = new ArrayList<>();
        expected.forEach((auditId, e) -> {
            Long visible = visibleNanos.get(auditId);
            if (visible != null && e.postedNanos() >= fromNanos && e.postedNanos() < toNanos) {
                latencies.add((visible - e.postedNanos()) / 1e6);
            }
        });
        return latencies;
    }

    static List<String> evidence(JsonNode alert) {
        List<String> ids = new ArrayList<>();
        alert.path("properties").path("supportingEvidence").path("events")
                .forEach(e -> ids.add(e.path("auditID").asText()));
        return ids;
    }

    /** What every alert of the connector says, read whole once the run is over. */
    record Verdict(int alerts, int attacksAccepted, int attacksWithExactlyOneAlert, int attacksWithoutAlert,
            int attacksInSeveralAlerts, int alertsOfNoAttack, int alertsOfSeveralAttacks, int wrongAlertType,
            int attacksOfRefusedBatches, int alertsOfRefusedBatches, List<String> examples) {

        boolean exact() {
            return attacksWithoutAlert == 0 && attacksInSeveralAlerts == 0 && alertsOfNoAttack == 0
                    && alertsOfSeveralAttacks == 0 && wrongAlertType == 0 && attacksWithExactlyOneAlert == attacksAccepted;
        }
    }

    Verdict verdict() {
        List<JsonNode> all = new ArrayList<>();
        for (int skip = 0;; skip += 500) {
            List<JsonNode> page = api.alerts(connectorId, skip, 500);
            all.addAll(page);
            if (page.size() < 500) {
                break;
            }
        }
        Map<String, Integer> alertsPerAttack = new HashMap<>();
        int ofNoAttack = 0;
        int ofSeveral = 0;
        int wrongType = 0;
        int ofRefusedBatches = 0;
        Set<String> unconfirmedAlerts = new HashSet<>();
        List<String> examples = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode alert : all) {
            names.add(alert.path("name").asText());
            List<String> ids = evidence(alert);
            List<String> attacks = ids.stream().filter(expected::containsKey).toList();
            String type = alert.path("properties").path("alertType").asText();
            if (attacks.isEmpty() && !ids.isEmpty() && ids.stream().allMatch(unconfirmed::containsKey)) {
                ofRefusedBatches++;
                if (ids.size() > 1 || !unconfirmedAlerts.add(ids.get(0))) {
                    ofSeveral++;
                    example(examples, "attack of a refused batch in several alerts or with others: " + ids);
                }
            } else if (attacks.isEmpty()) {
                ofNoAttack++;
                example(examples, "alert " + type + " of no attack, evidence " + ids);
            } else if (attacks.size() > 1 || ids.size() > 1) {
                ofSeveral++;
                example(examples, "alert " + type + " of several events " + ids);
            }
            for (String id : attacks) {
                alertsPerAttack.merge(id, 1, Integer::sum);
                if (!expected.get(id).alertType().equals(type)) {
                    wrongType++;
                    example(examples, "attack " + id + " expected " + expected.get(id).alertType() + ", got " + type);
                }
            }
        }
        int exactlyOne = 0;
        int without = 0;
        int several = 0;
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            int n = alertsPerAttack.getOrDefault(e.getKey(), 0);
            if (n == 1) {
                exactlyOne++;
            } else if (n == 0) {
                without++;
                example(examples, "attack " + e.getKey() + " (" + e.getValue().alertType() + ") has no alert");
            } else {
                several++;
                example(examples, "attack " + e.getKey() + " is in " + n + " alerts");
            }
        }
        return new Verdict(names.size(), expected.size(), exactlyOne, without, several, ofNoAttack, ofSeveral,
                wrongType, unconfirmed.size(), ofRefusedBatches, examples);
    }

    private static void example(List<String> examples, String what) {
        if (examples.size() < 10) {
            examples.add(what);
        }
    }
}
