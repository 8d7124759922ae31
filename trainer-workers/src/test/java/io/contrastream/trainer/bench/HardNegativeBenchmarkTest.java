package io.contrastream.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardNegativeBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunBothSourcesUseNegativesOnlyWithMAndWriteBothReports() throws Exception {
        // no fashion-mnist under dir: synthetic 28x28 shapes; two rounds of 4 steps of 512, the first step untimed
        HardNegativeBenchmark.Result result = HardNegativeBenchmark.run(new HardNegativeBenchmark.Options(2, 0, 4, 1,
                List.of(2), dir.resolve("no-data"), dir.resolve("scratch")));

        assertEquals(List.of("memory", "hard-negatives-M2", "hard-negatives-M2", "memory"), result.rounds().stream()
                .map(HardNegativeBenchmark.Round::source).toList(), "interleaved, every other round reversed");
        assertEquals("synthetic/train", result.dataset());
        HardNegativeBenchmark.SourceResult memory = result.sources().get(0);
        HardNegativeBenchmark.SourceResult hard = result.sources().get(1);
        assertEquals(0, memory.m());
        assertEquals(0, memory.negativesMined() + memory.negativesFilled());
        assertEquals(2 * 4, memory.stepsWithoutNegatives(), "the baseline trains every step without negatives");
        assertEquals(0, memory.timedStepsWithNegatives());
        assertEquals(2 * 3, memory.timedSteps());
        assertTrue(memory.samplesPerSecond() > 0, "the baseline was timed");

        assertEquals(2, hard.m());
        assertEquals(2, hard.stepsWithoutNegatives(), "only each round's first step (empty cache) has none");
        assertEquals(2 * 3, hard.timedStepsWithNegatives());
        assertEquals(2 * 3, hard.timedSteps());
        assertEquals(2 * 3 * 512 * 2, hard.negativesMined() + hard.negativesFilled(), "M per sample of steps 2-4");
        // the sets name samples trained a batch before their anchor's, so the anchors of steps 3 and 4 get their
        // mined candidates (all of them in the delivery order predicted; the bound leaves room for back-pressure)
        assertTrue(hard.negativesMined() >= 2 * 512 * 2, "mined " + hard.negativesMined());
        assertTrue(hard.samplesPerSecond() > 0, "hard negatives were timed");
        assertEquals(hard.samplesPerSecond() / memory.samplesPerSecond(), hard.overBaseline(), 1e-9);

        List<Path> written = result.write(dir.resolve("out"), "load average test");
        assertEquals(List.of(dir.resolve("out/hard-negatives.json"), dir.resolve("out/hard-negatives.md")), written);
        String json = Files.readString(written.get(0));
        assertTrue(json.startsWith("{\"benchmark\":\"hard-negatives\"") && json.contains("\"hardNegatives\":2")
                && json.contains("\"machineLoad\":\"load average test\""), json);
        String md = Files.readString(written.get(1));
        assertTrue(md.contains("| (b) memory, hard negatives | 2 |") && md.contains("synthetic")
                && md.contains("not measured here"), md);
    }

    @Test
    void shouldRejectAnMBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HardNegativeBenchmark.Options(1, 0, 4, 1, List.of(4, 0), dir, dir));
        assertTrue(e.getMessage().contains("hardNegatives must name at least one M >= 1"), e.getMessage());
    }
}
