package io.palisade.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;

/**
 * One operation is one audit event: {@link #parseAndEvaluate} reads its JSON bytes as the detector does (only what
 * the catalogue reads: {@code DetectionEngine.read}) and evaluates the whole shipped catalogue on it;
 * {@link #treeAndEvaluate} does the same from a whole Jackson tree (the detector's way before); {@link #parseOnly}
 * only reads the bytes into that tree (the bare parse); {@link #tokenizeOnly} only steps through the tokens (the floor
 * of any reader). All walk the same seeded mix ({@link EngineWorkload}) in the same order. Run with one thread: the
 * score is events/s per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 5)
@State(Scope.Thread)
public class EngineBenchmark {
    @Param("" + EngineWorkload.DEFAULT_SEED)
    public long seed;

    @Param("" + EngineWorkload.DEFAULT_EVENTS)
    public int events;

    @Param("" + EngineWorkload.DEFAULT_MALICIOUS_SHARE)
    public double maliciousShare;

    private ObjectMapper mapper;
    private DetectionEngine engine;
    private DetectionEngine.BaselineJudge judge;
    private DetectionEngine.BaselineJudge treeJudge;
    private byte[][] bytes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        EngineWorkload workload = EngineWorkload.build(seed, events, maliciousShare);
        EngineWorkload.Check check = workload.check();
        if (!check.passed()) {
            throw new IllegalStateException("the workload does not do what the benchmark assumes:\n"
                    + check.summary());
        }
        mapper = EngineWorkload.mapper();
        engine = workload.engine();
        judge = workload.newBaseline();
        treeJudge = workload.newBaseline();
        bytes = workload.events().toArray(byte[][]::new);
        next = 0;
    }

    private byte[] nextEvent() {
        byte[] event = bytes[next];
        next = next + 1 == bytes.length ? 0 : next + 1;
        return event;
    }

    @Benchmark
    public List<DetectionRule> parseAndEvaluate() throws IOException {
        return engine.evaluate(engine.read(nextEvent()), judge);
    }

    /** The detector's way before {@code FieldIndex}: the whole event into a tree, then the rules. For comparison. */
    @Benchmark
    public List<DetectionRule> treeAndEvaluate() throws IOException {
        return engine.evaluate(mapper.readTree(nextEvent()), treeJudge);
    }

    @Benchmark
    public JsonNode parseOnly() throws IOException {
        return mapper.readTree(nextEvent());
    }

    @Benchmark
    public int tokenizeOnly() throws IOException {
        int tokens = 0;
        try (JsonParser parser = mapper.getFactory().createParser(nextEvent())) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }
}
