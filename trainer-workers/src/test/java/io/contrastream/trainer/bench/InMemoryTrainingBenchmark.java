package io.contrastream.trainer.bench;

import ai.djl.engine.Engine;
import io.contrastream.model.EncoderSpec;
import io.contrastream.trainer.engine.StepResult;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.util.Locale;
import java.util.Random;

/**
 * Warm throughput of {@link TrainingEngine}: 784-256-128 MLP with a 128-128-64 projection head, two-view InfoNCE
 * (tau 0.2), batch 512, Adam lr 1e-3, on random uniform pixels (a few pre-generated batches, cycled, so data
 * generation is not timed). Prints one JSON line. Same workload as {@code benchmarks/python/infonce_baseline.py}.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -q -o -pl trainer-workers -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -cp trainer-workers/target/test-classes:trainer-workers/target/classes:\
 *   model/target/classes:$(cat trainer-workers/target/cp.txt) io.contrastream.trainer.bench.InMemoryTrainingBenchmark [warmup] [steps]
 * </pre>
 */
public final class InMemoryTrainingBenchmark {
    private InMemoryTrainingBenchmark() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int batchSize = 512;
        int views = 2;
        EncoderSpec spec = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, java.util.List.of(256), 128, 64);
        TrainBatch[] batches = randomBatches(spec, views, batchSize, 4, 42);
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(spec)
                .setLoss(LossConfig.of("infonce", 0.2f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(42)
                .build()) {
            for (int i = 0; i < warmup; i++) {
                engine.step(batches[i % batches.length]);
            }
            float lastLoss = Float.NaN;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                StepResult result = engine.step(batches[i % batches.length]);
                if (result instanceof StepResult.Stepped stepped) {
                    lastLoss = stepped.loss();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\":\"djl-%s-%s\",\"device\":\"%s\",\"model\":\"mlp-784-256-128+head-128-64\","
                            + "\"loss\":\"infonce-2view\",\"batch\":%d,\"views\":%d,\"warmupSteps\":%d,\"steps\":%d,"
                            + "\"seconds\":%.3f,\"stepsPerSecond\":%.3f,\"samplesPerSecond\":%.1f,"
                            + "\"viewsPerSecond\":%.1f,\"lastLoss\":%.4f,\"availableProcessors\":%d}",
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), engine.device(),
                    batchSize, views, warmup, steps, seconds, steps / seconds, steps * batchSize / seconds,
                    steps * batchSize * views / seconds, lastLoss, Runtime.getRuntime().availableProcessors()));
        }
    }

    /** {@code count} batches of uniform random pixels in [0, 1), seeded (the PyTorch baseline's inputs are alike). */
    static TrainBatch[] randomBatches(EncoderSpec spec, int views, int batchSize, int count, long seed) {
        Random random = new Random(seed);
        TrainBatch[] batches = new TrainBatch[count];
        for (int b = 0; b < count; b++) {
            float[] pixels = new float[views * batchSize * spec.inputSize()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat();
            }
            batches[b] = TrainBatch.builder().setViews(views).setBatchSize(batchSize)
                    .setSampleShape(spec.inputShape()).setPixels(pixels).build();
        }
        return batches;
    }
}
