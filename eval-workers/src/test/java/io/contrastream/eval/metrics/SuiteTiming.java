package io.contrastream.eval.metrics;

import java.util.List;
import java.util.Random;

/**
 * Wall-time measurement of the fast and full suites on 10,000 x 128 random embeddings (10 classes, train and test
 * of the same size). Not a test: run by hand, prints only.
 */
public final class SuiteTiming {

    private SuiteTiming() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int d = 128;
        int classes = 10;
        Random rnd = new Random(0);
        float[][] train = new float[n][d];
        float[][] test = new float[n][d];
        int[] trainY = new int[n];
        int[] testY = new int[n];
        for (int i = 0; i < n; i++) {
            trainY[i] = rnd.nextInt(classes);
            testY[i] = rnd.nextInt(classes);
            for (int k = 0; k < d; k++) {
                train[i][k] = (float) rnd.nextGaussian() + (k == trainY[i] ? 2f : 0f);
                test[i][k] = (float) rnd.nextGaussian() + (k == testY[i] ? 2f : 0f);
            }
        }
        SuiteRunner.Input input = SuiteRunner.Input.of(train, trainY, test, testY, "test");
        for (MetricSuite suite : List.of(MetricSuite.fast(), MetricSuite.full())) {
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] last = {System.nanoTime(), cpu.getCurrentThreadCpuTime()};
            long t0 = last[0];
            long c0 = last[1];
            List<MetricValue> values = new SuiteRunner(suite).run(input, (stage, done, total) -> {
                long now = System.nanoTime();
                long nowCpu = cpu.getCurrentThreadCpuTime();
                System.out.printf("  %-22s wall %6d ms  cpu %6d ms%n", stage, (now - last[0]) / 1_000_000,
                        (nowCpu - last[1]) / 1_000_000);
                last[0] = now;
                last[1] = nowCpu;
            });
            System.out.printf("suite %s on %d x %d: %d values, wall %d ms, cpu %d ms%n", suite.name(), n, d,
                    values.size(), (System.nanoTime() - t0) / 1_000_000,
                    (cpu.getCurrentThreadCpuTime() - c0) / 1_000_000);
            for (MetricValue v : values) {
                System.out.printf("    %s %s = %.4f%n", v.name(), v.labels(), v.value());
            }
        }
    }
}
