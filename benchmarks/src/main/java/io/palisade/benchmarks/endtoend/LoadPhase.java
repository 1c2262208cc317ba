package io.palisade.benchmarks.endtoend;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One phase of load: audit {@code EventList} batches posted to the gateway's ingest path at a set rate, open loop
 * (a batch leaves on schedule whether or not the earlier ones were answered), round robin over the clusters, like
 * API servers' audit webhooks: a batch refused with 429 or 503 (or not answered) is sent again, the same bytes, after
 * Retry-After; any other refusal is an error of the run.
 */
final class LoadPhase {
    /** How many batches may be in flight at once (the senders' threads). */
    static final int SENDERS = 16;
    /** How long after the phase's planned end a batch is still retried before it counts as not accepted. */
    static final Duration RETRY_GRACE = Duration.ofSeconds(60);

    record Result(String name, int targetRate, Duration planned, long sent, long accepted, int batches,
            int retries, Map<Integer, Integer> retriedStatuses, int batchesNotAccepted, int batchesNotSent,
            List<String> errors,
            long startNanos, long endNanos, List<Double> postMillis) {

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double acceptedPerSecond() {
            return accepted / seconds();
        }
    }

    private final StackApi api;
    private final AttackTraffic traffic;
    private final AlertWatcher watcher;
    private final List<StackApi.Cluster> clusters;
    private final int batchSize;

    LoadPhase(StackApi api, AttackTraffic traffic, AlertWatcher watcher, List<StackApi.Cluster> clusters,
            int batchSize) {
        this.api = api;
        this.traffic = traffic;
        this.watcher = watcher;
        this.clusters = clusters;
        this.batchSize = batchSize;
    }

    Result run(String name, int eventsPerSecond, Duration duration) throws InterruptedException {
        int batches = (int) Math.max(1, Math.round((double) eventsPerSecond * duration.toSeconds() / batchSize));
        long interval = (long) (1e9 * batchSize / eventsPerSecond);
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger notAccepted = new AtomicInteger();
        AtomicInteger notSent = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong();
        Map<Integer, Integer> retried = Collections.synchronizedMap(new TreeMap<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long start = System.nanoTime();
        long giveUp = start + duration.toNanos() + RETRY_GRACE.toNanos();
        try {
            for (int i = 0; i < batches; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                StackApi.Cluster cluster = clusters.get(i % clusters.size());
                senders.execute(() -> {
                    if (System.nanoTime() >= giveUp) {
                        notSent.incrementAndGet(); // the stack answered too slowly for the schedule: never sent
                        return;
                    }
                    List<AttackTraffic.Event> events = new ArrayList<>(batchSize);
                    Instant now = Instant.now();
                    for (int e = 0; e < batchSize; e++) {
                        events.add(traffic.next(now));
                    }
                    byte[] body = eventList(events);
                    long posted = System.nanoTime();
                    events.stream().filter(AttackTraffic.Event::malicious)
                            .forEach(e -> watcher.expect(e.auditId(), e.rule().alertType(), posted));
                    sent.addAndGet(events.size());
                    boolean ok = false;
                    while (!ok && System.nanoTime() < giveUp) {
                        long attempt = System.nanoTime();
                        StackApi.IngestAnswer answer;
                        try {
                            answer = api.ingest(cluster.ingestToken(), body);
                        } catch (UncheckedIOException e) {
                            answer = new StackApi.IngestAnswer(-1, 0, 500, e.getMessage());
                        }
                        if (answer.status() == 200) {
                            ok = true;
                            postMillis.add((System.nanoTime() - attempt) / 1e6);
                            accepted.addAndGet(answer.accepted());
                            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                            if (answer.accepted() != events.size()) {
                                errors.add("a batch of " + events.size() + " was answered accepted="
                                        + answer.accepted());
                            }
                        } else if (answer.status() == 429 || answer.status() == 503 || answer.status() == 502
                                || answer.status() == 504 || answer.status() == -1) {
                            retries.incrementAndGet();
                            if (retried.merge(answer.status(), 1, Integer::sum) == 1) {
                                System.out.println("  first " + answer.status() + " of phase " + name + ": "
                                        + answer.body());
                            }
                            sleep(Math.max(answer.retryAfterMillis(), 250));
                        } else {
                            errors.add("ingest answered " + answer.status() + ": " + answer.body());
                            break;
                        }
                    }
                    if (!ok) {
                        notAccepted.incrementAndGet();
                        events.stream().filter(AttackTraffic.Event::malicious)
                                .forEach(e -> watcher.forget(e.auditId()));
                    }
                });
            }
        } finally {
            senders.shutdown();
            senders.awaitTermination(duration.toSeconds() + RETRY_GRACE.toSeconds() + 60, TimeUnit.SECONDS);
        }
        long end = lastAnswer.get() == 0 ? System.nanoTime() : lastAnswer.get();
        return new Result(name, eventsPerSecond, duration, sent.get(), accepted.get(), batches, retries.get(),
                Map.copyOf(retried), notAccepted.get(), notSent.get(), List.copyOf(errors.subList(0, Math.min(errors.size(), 10))),
                start, end, List.copyOf(postMillis));
    }

    private static byte[] eventList(List<AttackTraffic.Event> events) {
        StringBuilder json = new StringBuilder(events.size() * 1600);
        json.append("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(events.get(i).json().toString());
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
