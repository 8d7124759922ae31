package io.contrastream.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.model.EncoderSpec;
import io.contrastream.trainer.engine.StepResult;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheMedian() {
        assertEquals(2.0, EvalBenchmark.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, EvalBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void shouldFallBackToSyntheticDataAndReportTheRatioOfEvaluationToTrainingTime() throws Exception {
        EncoderSpec spec = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, List.of(16), 8, 4);
        EvalBenchmark.Config config = new EvalBenchmark.Config("fashion-mnist", dir.resolve("no-data"), 2, 8, 100,
                10, List.of(0.0), 256, false, 0, 2, 2);
        EvalBenchmark.Result r = EvalBenchmark.run(config, steps -> {
            try (TrainingEngine engine = TrainingEngine.builder().setEncoder(spec)
                    .setLoss(LossConfig.of("infonce", 0.2f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                    .build()) {
                float[] pixels = new float[2 * 8 * 784];
                SplittableRandom rng = new SplittableRandom(3);
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) rng.nextDouble();
                }
                long t0 = System.nanoTime();
                double loss = Double.NaN;
                for (int s = 0; s < steps; s++) {
                    StepResult step = engine.step(TrainBatch.builder().setViews(2).setBatchSize(8)
                            .setSampleShape(1, 28, 28).setPixels(pixels).build());
                    loss = ((StepResult.Stepped) step).loss();
                }
                return new EvalBenchmark.Trained(engine.saveCheckpoint(dir, "c"), spec,
                        Duration.ofNanos(System.nanoTime() - t0), loss);
            }
        });
        assertEquals("synthetic", r.dataset());
        assertTrue(r.note().contains("fell back to the synthetic dataset"), r.note());
        assertEquals(2000, r.testSamples());
        assertEquals(100, r.trainSubset());
        assertEquals(r.fast().seconds() / r.trainerIntervalSeconds(), r.fast().ratio(), 1e-12);
        assertEquals(r.fast().ratio() <= EvalBenchmark.FAST_TARGET_RATIO, r.fastTargetMet());
        assertTrue(r.fast().keyMetrics().containsKey("recall@1"));
        assertTrue(r.full().isEmpty());
        assertEquals(2, r.trainerSamples().size());
        assertEquals(2, r.fast().samples().size());
        assertEquals((r.trainerSamples().get(0) + r.trainerSamples().get(1)) / 2, r.trainerIntervalSeconds(), 1e-12);

        // 2,000 test images: the fast suite's 2,000-query sample is the whole split, so fast equals fast[all]
        assertEquals(io.contrastream.eval.metrics.MetricSuite.ALL_QUERIES, r.fastQueries());
        assertEquals(2, r.fastAll().samples().size());
        assertEquals(r.fastAll().seconds() / r.trainerIntervalSeconds(), r.fastAll().ratio(), 1e-12);
        assertEquals(8, r.comparison().size());
        for (EvalBenchmark.Comparison c : r.comparison()) {
            assertEquals(c.all(), c.sampled(), 0.0, c.metric());
            assertEquals(0.0, c.difference(), 0.0, c.metric());
        }

        EvalBenchmark.write(r, dir.resolve("out"), "test");
        String md = Files.readString(dir.resolve("out/eval.md"));
        assertTrue(md.contains("| fast |") && md.contains("| fast[all] |") && md.contains("fell back"), md);
        assertTrue(md.contains("| recall@1 |") && md.contains("| knn-accuracy |"), md);
        assertTrue(Files.readString(dir.resolve("out/eval.json")).contains("\"trainerIntervalSeconds\""));
    }
}
