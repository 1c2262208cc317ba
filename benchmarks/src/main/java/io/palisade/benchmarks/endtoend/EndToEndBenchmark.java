package io.palisade.benchmarks.endtoend;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The end-to-end benchmark: {@code java -cp benchmarks/target/benchmarks.jar
 * io.palisade.benchmarks.endtoend.EndToEndBenchmark [options]} against a stack started with {@code ./palisade up}.
 *
 * <p>
 * It registers a connector with clusters and turns Containers on (as alice), then posts audit batches to the
 * gateway's ingest path in two phases: at {@code --latency-rate} (POST → alert visible through the alerts API, p50
 * and p99) and at {@code --rate} (accepted events/s sustained). Meanwhile it samples the consumer groups' lag
 * (the archive's among them) and each component's resident memory. When the alerts have drained it reads every
 * alert of the connector: each attack must be in exactly one alert of its type, and no alert may come of benign
 * traffic. Last, the ceiling: the same records produced and consumed on the same broker with Kafka alone.
 * Exits 1 when an alert is lost, doubled or unexpected, or a batch was refused other than by back-pressure.
 */
public final class EndToEndBenchmark {
    static final double TARGET_SUSTAINED = 10_000;
    static final double TARGET_P99_MILLIS = 2_000;
    static final double TARGET_RSS_MB = 300;

    record Options(URI gateway, URI keycloak, String kafka, Path palisadeHome, int latencyRate,
            Duration latencyDuration, int rate, Duration duration, int batch, int clusters, double maliciousShare,
            int ceilingRecords, Duration drain, long seed, Duration warmup) {

        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            boolean smoke = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--smoke")) {
                    smoke = true;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    o.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
                }
            }
            // the smoke mode: the same checks in under a minute, for the test suite
            return new Options(URI.create(o.getOrDefault("gateway", "http://127.0.0.1:8080")),
                    URI.create(o.getOrDefault("keycloak", "http://127.0.0.1:8180")),
                    o.getOrDefault("kafka", "127.0.0.1:9092"), Path.of(o.getOrDefault("palisade-home", ".palisade")),
                    Integer.parseInt(o.getOrDefault("latency-rate", smoke ? "200" : "1000")),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("latency-seconds", smoke ? "5" : "60"))),
                    Integer.parseInt(o.getOrDefault("rate", smoke ? "1000" : "10000")),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", smoke ? "5" : "60"))),
                    Integer.parseInt(o.getOrDefault("batch", smoke ? "100" : "400")),
                    Integer.parseInt(o.getOrDefault("clusters", "6")),
                    Double.parseDouble(o.getOrDefault("malicious-share", smoke ? "0.05" : "0.01")),
                    Integer.parseInt(o.getOrDefault("ceiling-records", smoke ? "5000" : "200000")),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("drain-seconds", smoke ? "60" : "180"))),
                    Long.parseLong(o.getOrDefault("seed", "20261121")),
                    Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup-seconds", smoke ? "5" : "30"))));
        }
    }

    static final String USAGE = """
            usage: EndToEndBenchmark [--smoke] [--gateway URL] [--keycloak URL] [--kafka host:port]
              [--palisade-home DIR] [--latency-rate N] [--latency-seconds S] [--rate N] [--seconds S] [--batch N]
              [--clusters N] [--malicious-share F] [--ceiling-records N] [--drain-seconds S] [--seed N]
              [--warmup-seconds S]
            A warm-up phase at the latency rate comes first (the services' JIT compilers, caches and pools); its
            figures are printed but not summarized.""";

    record Phase(String name, int eventsPerSecond, Duration duration) {
    }

    /** What the sampler saw during one phase. */
    static final class Samples {
        final Map<String, Double> maxRss = new ConcurrentHashMap<>();
        final List<long[]> lag = Collections.synchronizedList(new ArrayList<>());
    }

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println(USAGE);
            return;
        }
        Options options = Options.parse(args);
        System.exit(run(options) ? 0 : 1);
    }

    static boolean run(Options options) throws Exception {
        AttackTraffic traffic = new AttackTraffic(options.seed(), options.maliciousShare());
        say("attacks: %d fire cases made unique, %d alert types %s; rules left out: %s", traffic.attackCases(),
                traffic.alertTypes().size(), traffic.alertTypes(), traffic.leftOut());

        StackApi api = new StackApi(options.gateway(), options.keycloak(), "alice", "alice-dev-password");
        try {
            api.token();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot sign in at " + options.keycloak() + " (is the stack up? "
                    + "./palisade up): " + e.getMessage(), e);
        }
        UUID connectorId = api.createConnector("benchmark " + Instant.now());
        List<StackApi.Cluster> clusters = new ArrayList<>();
        for (int i = 1; i <= options.clusters(); i++) {
            clusters.add(api.createCluster(connectorId, "bench-" + i));
        }
        api.enableContainers(connectorId, Duration.ofSeconds(60));
        awaitIngestOpen(api, clusters);
        say("connector %s with %d clusters, Containers on; ingest open", connectorId, clusters.size());

        AlertWatcher watcher = new AlertWatcher(api, connectorId);
        Thread watching = new Thread(watcher, "alert-watcher");
        watching.setDaemon(true);
        watching.start();
        try (StackProbes probes = new StackProbes(options.palisadeHome(), options.kafka())) {
            Map<String, Samples> samples = new LinkedHashMap<>();
            Samples[] current = {null};
            Thread sampler = new Thread(() -> sample(probes, samples, current), "sampler");
            sampler.setDaemon(true);
            sampler.start();

            LoadPhase load = new LoadPhase(api, traffic, watcher, clusters, options.batch());
            List<LoadPhase.Result> results = new ArrayList<>();
            List<Phase> phases = new ArrayList<>();
            if (!options.warmup().isZero()) {
                phases.add(new Phase("warm-up", options.latencyRate(), options.warmup()));
            }
            phases.add(new Phase("latency", options.latencyRate(), options.latencyDuration()));
            phases.add(new Phase("sustained", options.rate(), options.duration()));
            for (Phase phase : phases) {
                String name = phase.name();
                synchronized (samples) {
                    current[0] = new Samples();
                    samples.put(name, current[0]);
                }
                say("phase %s: %,d events/s for %d s, batches of %d ...", name, phase.eventsPerSecond(),
                        phase.duration().toSeconds(), options.batch());
                LoadPhase.Result result = load.run(name, phase.eventsPerSecond(), phase.duration());
                results.add(result);
                say("phase %s: %,d of %,d events accepted in %.1f s = %,.0f events/s; %d retries %s; lag %s",
                        name, result.accepted(), result.sent(), result.seconds(), result.acceptedPerSecond(),
                        result.retries(), result.retriedStatuses(), lastLag(current[0]));
            }

            // drain: every attack visible and both consumer groups caught up
            synchronized (samples) {
                current[0] = new Samples();
                samples.put("drain", current[0]);
            }
            long lastPost = results.get(results.size() - 1).endNanos();
            long deadline = System.nanoTime() + options.drain().toNanos();
            Long archiveCaughtUp = null;
            Long alertsCaughtUp = null;
            while (System.nanoTime() < deadline && (archiveCaughtUp == null || alertsCaughtUp == null)) {
                Map<String, Long> lag = probes.lag();
                if (archiveCaughtUp == null && lag.get("detection-archiver") == 0) {
                    archiveCaughtUp = System.nanoTime();
                }
                if (alertsCaughtUp == null && watcher.visibleCount() == watcher.expectedCount()
                        && lag.get("detection-detector") == 0) {
                    alertsCaughtUp = System.nanoTime();
                }
                Thread.sleep(200);
            }
            Thread.sleep(3000); // a duplicate would be visible by now
            watcher.stop();
            AlertWatcher.Verdict verdict = watcher.verdict();
            Map<String, Long> finalLag = probes.lag();

            say("Kafka ceiling: %,d records ...", options.ceilingRecords());
            KafkaCeiling.Result ceiling = KafkaCeiling.measure(probes.admin(), options.kafka(), traffic,
                    clusters.stream().map(StackApi.Cluster::id).toList(), connectorId, options.ceilingRecords());

            return report(options, traffic, results, watcher, samples, verdict, finalLag, lastPost, archiveCaughtUp,
                    alertsCaughtUp, ceiling);
        }
    }

    private static void awaitIngestOpen(StackApi api, List<StackApi.Cluster> clusters) throws InterruptedException {
        byte[] empty = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[]}".getBytes();
        Instant deadline = Instant.now().plusSeconds(60);
        for (StackApi.Cluster cluster : clusters) {
            while (true) {
                StackApi.IngestAnswer answer = api.ingest(cluster.ingestToken(), empty);
                if (answer.status() == 200) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("ingest of " + cluster.name() + " still refused: "
                            + answer.status() + " " + answer.body());
                }
                Thread.sleep(250);
            }
        }
    }

    private static void sample(StackProbes probes, Map<String, Samples> samples, Samples[] current) {
        long start = System.nanoTime();
        while (true) {
            try {
                Samples now;
                synchronized (samples) {
                    now = current[0];
                }
                if (now != null) {
                    probes.residentMegabytes().forEach((c, mb) -> now.maxRss.merge(c, mb, Math::max));
                    Map<String, Long> lag = probes.lag();
                    now.lag.add(new long[] {(System.nanoTime() - start) / 1_000_000,
                            lag.get("detection-detector"), lag.get("detection-archiver")});
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("sampler: " + e.getMessage());
            }
        }
    }

    private static String lastLag(Samples s) {
        if (s.lag.isEmpty()) {
            return "-";
        }
        long[] last = s.lag.get(s.lag.size() - 1);
        return String.format(Locale.ROOT, "detector %,d / archive %,d records", last[1], last[2]);
    }

    private static boolean report(Options options, AttackTraffic traffic, List<LoadPhase.Result> results,
            AlertWatcher watcher, Map<String, Samples> samples, AlertWatcher.Verdict verdict,
            Map<String, Long> finalLag, long lastPost, Long archiveCaughtUp, Long alertsCaughtUp,
            KafkaCeiling.Result ceiling) {
        System.out.println();
        System.out.println("=== Palisade end to end: " + options.gateway() + ", " + Runtime.getRuntime()
                .availableProcessors() + " cores, batches of " + options.batch() + " over " + options.clusters()
                + " clusters, " + 100 * options.maliciousShare() + "% attacks ===");
        boolean ok = true;
        for (LoadPhase.Result r : results) {
            List<Double> latency = watcher.latenciesMillis(r.startNanos(), r.endNanos() + 1);
            Samples s = samples.get(r.name());
            System.out.printf(Locale.ROOT,
                    "%-10s target %,6d events/s for %d s: accepted %,d of %,d events in %.1f s = %,.0f events/s; "
                            + "POST answered p50 %.0f ms p99 %.0f ms; retries %d %s; batches refused after retries %d, "
                            + "never sent (still queued in the driver %d s after the phase) %d%n",
                    r.name(), r.targetRate(), r.planned().toSeconds(), r.accepted(), r.sent(), r.seconds(),
                    r.acceptedPerSecond(), percentile(r.postMillis(), 50), percentile(r.postMillis(), 99),
                    r.retries(), r.retriedStatuses(), r.batchesNotAccepted(), LoadPhase.RETRY_GRACE.toSeconds(),
                    r.batchesNotSent());
            System.out.printf(Locale.ROOT,
                    "           POST -> alert visible (%d attacks): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    latency.size(), percentile(latency, 50), percentile(latency, 99), percentile(latency, 100));
            System.out.printf(Locale.ROOT, "           lag (records): %s%n", lagSummary(s));
            System.out.printf(Locale.ROOT, "           max RSS (MB): %s%n", rss(s));
            if (!r.errors().isEmpty()) {
                ok = false;
                r.errors().forEach(e -> System.out.println("           ERROR " + e));
            }
        }
        System.out.printf(Locale.ROOT, "drain      archive caught up %s after the last accepted POST; every alert "
                + "visible and the detector caught up %s after it; lag at the end %s%n",
                since(lastPost, archiveCaughtUp), since(lastPost, alertsCaughtUp), finalLag);
        System.out.printf(Locale.ROOT, "alerts     %,d alerts for %,d attacks accepted: exactly one alert %,d, none %d,"
                + " several %d; alerts of no attack (benign traffic) %d, of several events %d, of the wrong type %d%n",
                verdict.alerts(), verdict.attacksAccepted(), verdict.attacksWithExactlyOneAlert(),
                verdict.attacksWithoutAlert(), verdict.attacksInSeveralAlerts(), verdict.alertsOfNoAttack(),
                verdict.alertsOfSeveralAttacks(), verdict.wrongAlertType());
        if (verdict.attacksOfRefusedBatches() > 0) {
            System.out.printf(Locale.ROOT, "           attacks in batches refused after all retries (not owed an alert; "
                    + "at most one each): %d, with an alert: %d%n", verdict.attacksOfRefusedBatches(),
                    verdict.alertsOfRefusedBatches());
        }
        verdict.examples().forEach(e -> System.out.println("           PROBLEM " + e));
        System.out.printf(Locale.ROOT, "ceiling    Kafka alone, %,d records (%,d bytes, same producer settings, %d "
                + "partitions): produced %,.0f records/s; produced and consumed %,.0f records/s%n",
                ceiling.records(), ceiling.bytes(), ceiling.partitions(), ceiling.producedPerSecond(),
                ceiling.producedAndConsumedPerSecond());
        ok &= verdict.exact();

        LoadPhase.Result latency = results.get(results.size() - 2);
        LoadPhase.Result sustained = results.get(results.size() - 1);
        double p99 = percentile(watcher.latenciesMillis(latency.startNanos(), latency.endNanos() + 1), 99);
        Map<String, Double> peak = new LinkedHashMap<>();
        samples.values().forEach(s -> s.maxRss.forEach((c, mb) -> peak.merge(c, mb, Math::max)));
        double worstService = StackProbes.SERVICES.stream().mapToDouble(c -> peak.getOrDefault(c, 0.0)).max()
                .orElse(0);
        System.out.println();
        System.out.printf(Locale.ROOT, "SUMMARY sustained %,.0f events/s accepted [target >= %,.0f: %s] | p99 POST -> "
                + "alert %.0f ms at %,d events/s [target <= %,.0f: %s] | alerts exactly once: %s (%,d attacks, %d "
                + "lost, %d doubled, %d from benign) | archive caught up %s after the last POST | max service RSS %.0f"
                + " MB [target <= %.0f: %s] | Kafka ceiling %,.0f records/s produced+consumed%n",
                sustained.acceptedPerSecond(), TARGET_SUSTAINED, met(sustained.acceptedPerSecond() >= TARGET_SUSTAINED),
                p99, latency.targetRate(), TARGET_P99_MILLIS, met(p99 <= TARGET_P99_MILLIS),
                verdict.exact() ? "yes" : "NO", verdict.attacksAccepted(), verdict.attacksWithoutAlert(),
                verdict.attacksInSeveralAlerts(), verdict.alertsOfNoAttack(), since(lastPost, archiveCaughtUp),
                worstService, TARGET_RSS_MB, met(worstService <= TARGET_RSS_MB),
                ceiling.producedAndConsumedPerSecond());
        if (!ok) {
            System.out.println("FAILED: alerts lost, doubled or unexpected, or ingest refused a batch (see above)");
        }
        return ok;
    }

    private static String met(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String since(long from, Long to) {
        return to == null ? "NOT within the drain time" : String.format(Locale.ROOT, "%.1f s",
                Math.max(0, to - from) / 1e9);
    }

    private static String lagSummary(Samples s) {
        if (s == null || s.lag.isEmpty()) {
            return "-";
        }
        long maxDetector = 0;
        long maxArchive = 0;
        for (long[] l : s.lag) {
            maxDetector = Math.max(maxDetector, l[1]);
            maxArchive = Math.max(maxArchive, l[2]);
        }
        long[] last = s.lag.get(s.lag.size() - 1);
        long[] half = s.lag.get(s.lag.size() / 2);
        return String.format(Locale.ROOT, "detector max %,d (mid-phase %,d, end %,d); archive max %,d (mid-phase "
                + "%,d, end %,d)", maxDetector, half[1], last[1], maxArchive, half[2], last[2]);
    }

    private static String rss(Samples s) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (String c : StackProbes.SERVICES) {
            out.append(String.format(Locale.ROOT, "%s %.0f, ", c, s.maxRss.getOrDefault(c, Double.NaN)));
        }
        out.append("(process trees: ");
        for (String c : StackProbes.INFRASTRUCTURE) {
            out.append(String.format(Locale.ROOT, "%s %.0f ", c, s.maxRss.getOrDefault(c, Double.NaN)));
        }
        return out.append(')').toString();
    }

    /** Nearest-rank percentile; NaN for no samples. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.min(Math.max(rank, 1), sorted.size()) - 1);
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] %s%n", Instant.now().toString().substring(11, 19),
                String.format(Locale.ROOT, format, args));
    }
}
