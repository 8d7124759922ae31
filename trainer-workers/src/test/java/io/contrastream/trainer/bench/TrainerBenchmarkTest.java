package io.contrastream.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerBenchmarkTest {

    @Test
    void shouldBoundEveryBlasThreadPoolOfTheBaselineToItsThreadCountOrLeaveThemAllUnset() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", "OMP_NUM_THREADS", "8"));
        TrainerBenchmark.pythonEnvironment(env, 1, true);
        assertEquals(Map.of("PATH", "/usr/bin", "OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "1",
                "MKL_NUM_THREADS", "1"), env);
        TrainerBenchmark.pythonEnvironment(env, 1, false);
        assertEquals(Map.of("PATH", "/usr/bin"), env);
    }
}
