package io.palisade.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.palisade.detection.engine.DetectionEngine;
import io.palisade.detection.engine.DetectionRule;

/**
 * The benchmark's smoke run for CI: the workload it measures is what it claims to be, and a few thousand events go
 * through parse + evaluate the way {@link EngineBenchmark} drives them. No timing is asserted: figures come from the
 * JMH run (benchmarks/README.md).
 */
class EngineWorkloadSmokeTest {
    static EngineWorkload workload;

    @BeforeAll
    static void build() {
        workload = EngineWorkload.build(EngineWorkload.DEFAULT_SEED, 4_000, EngineWorkload.DEFAULT_MALICIOUS_SHARE);
    }

    @Test
    void benignEventsFireNothingAndEveryMaliciousEventFiresItsRuleCoveringEveryAlertType() {
        EngineWorkload.Check check = workload.check();
        System.out.print(check.summary());
        assertTrue(check.passed(), check.summary());
        assertEquals(check.rules(), check.maliciousByAlertType().size(), "every alert type is in the mix");
        assertTrue(check.benign() > 0.9 * (check.benign() + check.malicious()), "the mix is mostly benign");
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        EngineWorkload again = EngineWorkload.build(EngineWorkload.DEFAULT_SEED, 4_000,
                EngineWorkload.DEFAULT_MALICIOUS_SHARE);
        assertEquals(workload.events().size(), again.events().size());
        for (int i = 0; i < workload.events().size(); i++) {
            assertTrue(Arrays.equals(workload.events().get(i), again.events().get(i)), "event #" + i + " differs");
        }
    }

    @Test
    void parseAndEvaluateRunsOverTheMixRepeatedlyWithTheSameAlerts() throws IOException {
        DetectionEngine engine = workload.engine();
        DetectionEngine.BaselineJudge judge = workload.newBaseline();
        List<byte[]> events = workload.events();
        int[] firstPass = new int[events.size()];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < events.size(); i++) {
                List<DetectionRule> fired = engine.evaluate(EngineWorkload.mapper().readTree(events.get(i)), judge);
                if (round == 0) {
                    firstPass[i] = fired.size();
                } else {
                    assertEquals(firstPass[i], fired.size(), "a replayed event #" + i + " fires the same rules");
                }
            }
        }
    }
}
