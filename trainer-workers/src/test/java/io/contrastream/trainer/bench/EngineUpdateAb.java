package io.contrastream.trainer.bench;

import io.contrastream.model.EncoderSpec;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side A/B of the training engine's update path in one JVM: engine A applies Adam through DJL's
 * {@code Trainer.step()} ({@code optDirectUpdates(false)}), engine B directly ({@code DirectAdam}). Same workload as
 * {@link InMemoryTrainingBenchmark} (784-256-128 MLP + 128-128-64 head, InfoNCE tau 0.2, batch 512, Adam 1e-3, random
 * pixels). Rounds alternate A, B, B, A, ... so drifting machine load hits both alike; prints the median wall and
 * thread-CPU milliseconds per step of each. Timing only, no assertion.
 *
 * <p>Run like {@link InMemoryTrainingBenchmark}, main class {@code io.contrastream.trainer.bench.EngineUpdateAb},
 * arguments {@code [rounds] [stepsPerRound]} (default 10 and 10), with {@code -Dai.djl.pytorch.num_threads=1}.
 */
public final class EngineUpdateAb {
    private EngineUpdateAb() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int batchSize = 512;
        int views = 2;
        EncoderSpec spec = EncoderSpec.mnistMlp();
        TrainBatch[] batches = InMemoryTrainingBenchmark.randomBatches(spec, views, batchSize, 4, 42);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names = {"A trainer.step", "B direct"};
        List<List<double[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
        TrainingEngine[] engines = new TrainingEngine[2];
        try {
            for (int e = 0; e < 2; e++) {
                engines[e] = TrainingEngine.builder().setEncoder(spec).setLoss(LossConfig.of("infonce", 0.2f))
                        .setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(42).optDirectUpdates(e == 1).build();
                for (int i = 0; i < 10; i++) {
                    engines[e].step(batches[i % batches.length]);
                }
            }
            for (int r = 0; r < 2 * rounds; r++) {
                int e = (r % 4 == 0 || r % 4 == 3) ? 0 : 1;
                for (int i = 0; i < steps; i++) {
                    long wall = System.nanoTime();
                    long cpu = threads.getCurrentThreadCpuTime();
                    engines[e].step(batches[i % batches.length]);
                    samples.get(e).add(new double[] {(System.nanoTime() - wall) / 1e6,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1e6});
                }
            }
        } finally {
            for (TrainingEngine engine : engines) {
                if (engine != null) {
                    engine.close();
                }
            }
        }
        for (int e = 0; e < 2; e++) {
            double[] wall = samples.get(e).stream().mapToDouble(s -> s[0]).sorted().toArray();
            double[] cpu = samples.get(e).stream().mapToDouble(s -> s[1]).sorted().toArray();
            System.out.println(String.format(Locale.ROOT, "%-15s steps %d  median wall %.2f ms  median cpu %.2f ms"
                    + "  (wall p25 %.2f p75 %.2f)", names[e], wall.length, wall[wall.length / 2], cpu[cpu.length / 2],
                    wall[wall.length / 4], wall[3 * wall.length / 4]));
        }
        System.out.println("load average " + Arrays.toString(new double[] {
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()}));
    }
}
