package io.contrastream.eval.internal;

import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.eval.metrics.SuiteRunner;
import io.contrastream.eval.metrics.internal.Futures;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the metric families of a suite on several threads. Families are independent of each other, except the linear
 * probe and the robustness families, which share the fitted probe and the encoder's gradient buffers (one group, run
 * on one thread), and retrieval, AUC and kNN, which share one similarity pass (one group, which spreads its query
 * blocks over all {@code threads}). Values come back grouped by family, families in suite order of their group.
 */
final class ParallelSuite {

    private static final Set<MetricSuite.Metric> PROBE_GROUP = EnumSet.of(MetricSuite.Metric.LINEAR_PROBE,
            MetricSuite.Metric.ADVERSARIAL, MetricSuite.Metric.CORRUPTION);
    private static final Set<MetricSuite.Metric> SCAN_GROUP = EnumSet.of(MetricSuite.Metric.RETRIEVAL,
            MetricSuite.Metric.AUC, MetricSuite.Metric.KNN);

    private final MetricSuite suite;
    private final int threads;

    ParallelSuite(MetricSuite suite, int threads) {
        this.suite = suite;
        this.threads = threads;
    }

    List<MetricValue> run(SuiteRunner.Input input, SuiteRunner.ProgressListener progress) {
        List<Set<MetricSuite.Metric>> groups = new ArrayList<>();
        Set<MetricSuite.Metric> probe = EnumSet.noneOf(MetricSuite.Metric.class);
        Set<MetricSuite.Metric> scan = EnumSet.noneOf(MetricSuite.Metric.class);
        for (MetricSuite.Metric m : suite.metrics()) {
            if (PROBE_GROUP.contains(m)) {
                if (probe.isEmpty()) {
                    groups.add(probe);
                }
                probe.add(m);
            } else if (SCAN_GROUP.contains(m)) {
                if (scan.isEmpty()) {
                    groups.add(scan);
                }
                scan.add(m);
            } else {
                groups.add(EnumSet.of(m));
            }
        }
        if (threads <= 1 || groups.size() <= 1) {
            return new SuiteRunner(suite, threads).run(input, progress);
        }
        int total = suite.metrics().size();
        int[] done = {0};
        progress.onProgress("start", 0, total);
        SuiteRunner.ProgressListener shared = new SuiteRunner.ProgressListener() {
            @Override
            public void onProgress(String stage, int completed, int of) {
                if (!"start".equals(stage)) {
                    synchronized (done) {
                        progress.onProgress(stage, ++done[0], total);
                    }
                }
            }

            @Override
            public void onStandardErrors(java.util.Map<String, Double> standardErrors) {
                synchronized (done) {
                    progress.onStandardErrors(standardErrors);
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, groups.size()), r -> {
            Thread t = new Thread(r, "eval-suite");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<MetricValue>>> futures = new ArrayList<>();
            for (Set<MetricSuite.Metric> group : groups) {
                futures.add(pool.submit(() -> new SuiteRunner(suite.withMetrics(group),
                        group == scan ? threads : 1).run(input, shared)));
            }
            List<MetricValue> out = new ArrayList<>();
            for (Future<List<MetricValue>> f : futures) {
                out.addAll(Futures.join(f, "metric family"));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
