package io.palisade.benchmarks;

import java.io.IOException;
import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [JMH options]}: checks the workload, runs {@link EngineBenchmark}
 * (both benchmarks, one thread) and prints the engine's rate, the bare parse rate and their ratio against the targets.
 * JMH's own options (-f, -wi, -w, -i, -r, -prof gc, -p maliciousShare=0.05 ...) pass through.
 */
public final class EngineBenchmarkMain {
    static final double TARGET_EVENTS_PER_SECOND = 100_000;
    static final double TARGET_SHARE_OF_PARSE = 0.5;

    private EngineBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }

        EngineWorkload.Check check = EngineWorkload.build(EngineWorkload.DEFAULT_SEED, EngineWorkload.DEFAULT_EVENTS,
                EngineWorkload.DEFAULT_MALICIOUS_SHARE).check();
        System.out.print(check.summary());
        if (!check.passed()) {
            System.err.println("The workload check failed: the benchmark would not measure detection on benign "
                    + "traffic with every alert type in it. Not running it.");
            System.exit(2);
        }

        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).threads(1);
        if (cli.getIncludes().isEmpty()) {
            options.include(EngineBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        RunResult engine = find(results, "parseAndEvaluate");
        RunResult parse = find(results, "parseOnly");
        if (engine == null || parse == null) {
            System.out.println("(no summary: run both parseAndEvaluate and parseOnly to get the ratio)");
            return;
        }
        Result<?> e = engine.getPrimaryResult();
        Result<?> p = parse.getPrimaryResult();
        double ratio = e.getScore() / p.getScore();
        RunResult tokens = find(results, "tokenizeOnly");
        String scan = tokens == null ? "" : String.format(Locale.ROOT,
                " | token scan (no tree, the floor of any JSON reader): %,.0f ± %,.0f events/s per core, engine at %.1f%%",
                tokens.getPrimaryResult().getScore(), tokens.getPrimaryResult().getScoreError(),
                100 * e.getScore() / tokens.getPrimaryResult().getScore());
        System.out.println();
        System.out.println(String.format(Locale.ROOT,
                "SUMMARY engine (read + evaluate, %d rules): %,.0f ± %,.0f events/s per core [target >= %,.0f: %s] | "
                        + "bare parse (Jackson tree): %,.0f ± %,.0f events/s per core | ratio %.1f%% [target >= %.0f%%: %s]%s",
                check.rules(), e.getScore(), e.getScoreError(), TARGET_EVENTS_PER_SECOND,
                e.getScore() >= TARGET_EVENTS_PER_SECOND ? "met" : "MISSED", p.getScore(), p.getScoreError(),
                100 * ratio, 100 * TARGET_SHARE_OF_PARSE, ratio >= TARGET_SHARE_OF_PARSE ? "met" : "MISSED", scan));
    }

    private static RunResult find(Collection<RunResult> results, String benchmark) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + benchmark)).findFirst()
                .orElse(null);
    }
}
