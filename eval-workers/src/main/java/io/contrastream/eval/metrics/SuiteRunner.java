package io.contrastream.eval.metrics;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.contrastream.eval.metrics.internal.DenseLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a {@link MetricSuite} on train (memory / probe-fitting) and test embeddings and returns uniform
 * {@link MetricValue}s for the test split. Retrieval, AUC and alignment/uniformity use the test split alone; kNN,
 * linear probe and NME fit on train and score test. Robustness metrics run only when a {@link RobustnessInput} is
 * given (otherwise they are skipped with a warning); their head is the linear probe fitted on train.
 *
 * <p>Published names: recall@K, mrr@C, map@r, auc (labels mode=pooled, sampled, pairs), auc-per-query,
 * knn-accuracy (k, tau), linear-probe-accuracy, nme-accuracy, alignment (alpha, pairs, sampled), uniformity (t,
 * pairs, sampled), robust-accuracy and robust-recall@1 (attack, epsilon), corruption-accuracy (corruption,
 * severity).
 *
 * <p>Retrieval, AUC and kNN share one pass over the similarity rows ({@code FusedScan}), optionally on several
 * threads; their values are those of {@link RetrievalMetrics}, {@link PairAuc} and {@link WeightedKnn}. When the
 * suite samples its queries ({@link MetricSuite#queries()} below the split size) those values are estimates over
 * the seeded query sample and carry the extra label {@code queries=<m>} (the pooled AUC too, its pairs coming from
 * the sampled rows); their standard errors go to {@link ProgressListener#onStandardErrors}.
 */
public final class SuiteRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SuiteRunner.class);

    /** Progress callback, invoked before the first and after every metric family. */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * @param stage     metric family just finished, or "start"
         * @param completed families done
         * @param total     families to do
         */
        void onProgress(String stage, int completed, int total);

        /**
         * Called once, before the retrieval / AUC / kNN families report progress, when their values are estimates
         * from a query sample ({@link MetricSuite#queries()}): the standard error of each per-query value, by metric
         * name (recall@K, mrr@C, map@r, auc-per-query, knn-accuracy). Default: ignored.
         */
        default void onStandardErrors(Map<String, Double> standardErrors) {
        }

        /** A listener that ignores progress. */
        static ProgressListener none() {
            return (stage, completed, total) -> { };
        }
    }

    /**
     * Images and encoder for robustness metrics.
     *
     * @param manager parent NDManager (owned by the caller)
     * @param encoder initialised encoder, [B,C,H,W] -> [B,D]
     * @param images  test images in [0, 1]
     * @param labels  their labels
     */
    public record RobustnessInput(NDManager manager, Block encoder, ImageSet images, int[] labels) {
        /** Validates. */
        public RobustnessInput {
            if (images.size() != labels.length) {
                throw new IllegalArgumentException("RobustnessInput: " + images.size() + " images but "
                        + labels.length + " labels");
            }
        }
    }

    /**
     * Embeddings to evaluate.
     *
     * @param trainEmbeddings memory / fitting set
     * @param trainLabels     its labels
     * @param testEmbeddings  evaluated split
     * @param testLabels      its labels
     * @param split           split name used in {@link MetricValue#split()}
     * @param robustness      optional images + encoder
     */
    public record Input(float[][] trainEmbeddings, int[] trainLabels, float[][] testEmbeddings, int[] testLabels,
                        String split, Optional<RobustnessInput> robustness) {
        /** Validates lengths. */
        public Input {
            DenseLabels.requireSameLength(trainEmbeddings, trainLabels, "suite train split");
            DenseLabels.requireSameLength(testEmbeddings, testLabels, "suite " + split + " split");
            if (split == null || split.isBlank()) {
                throw new IllegalArgumentException("SuiteRunner.Input: split must be non-blank");
            }
        }

        /** Input without robustness. */
        public static Input of(float[][] train, int[] trainLabels, float[][] test, int[] testLabels, String split) {
            return new Input(train, trainLabels, test, testLabels, split, Optional.empty());
        }

        /** Copy with robustness input. */
        public Input withRobustness(RobustnessInput r) {
            return new Input(trainEmbeddings, trainLabels, testEmbeddings, testLabels, split, Optional.of(r));
        }
    }

    private final MetricSuite suite;
    private final int threads;

    /** @param suite what to compute, on the calling thread */
    public SuiteRunner(MetricSuite suite) {
        this(suite, 1);
    }

    /**
     * @param suite   what to compute
     * @param threads threads for the shared similarity pass of retrieval, AUC and kNN (&gt;= 1; values do not
     *                depend on it)
     */
    public SuiteRunner(MetricSuite suite, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("SuiteRunner: threads " + threads + " must be >= 1");
        }
        this.suite = suite;
        this.threads = threads;
    }

    /** Computes the suite. */
    public List<MetricValue> run(Input in, ProgressListener progress) {
        List<MetricSuite.Metric> todo = new ArrayList<>(suite.metrics());
        int total = todo.size();
        int done = 0;
        progress.onProgress("start", 0, total);
        List<MetricValue> out = new ArrayList<>();
        String split = in.split();
        LinearProbe.Model probe = null;
        FusedScan.Outcome scanned = FusedScan.Outcome.NONE;
        if (FusedScan.applies(suite)) {
            long t0 = System.nanoTime();
            scanned = FusedScan.run(suite, in, threads);
            LOG.debug("suite {}: shared similarity pass (retrieval, auc, knn) took {} ms on {} threads",
                    suite.name(), (System.nanoTime() - t0) / 1_000_000, threads);
            if (scanned.sampled()) {
                progress.onStandardErrors(scanned.standardErrors());
            }
        }
        Map<String, String> sample = scanned.sampled()
                ? Map.of("queries", Integer.toString(scanned.queries())) : Map.of();
        for (MetricSuite.Metric metric : todo) {
            long t0 = System.nanoTime();
            switch (metric) {
                case RETRIEVAL -> {
                    RetrievalMetrics.Result r = scanned.retrieval().orElseThrow();
                    r.recallAtK().forEach((k, v) -> out.add(new MetricValue("recall@" + k, v, split, sample)));
                    out.add(new MetricValue("mrr@" + r.mrrCutoff(), r.mrr(), split, sample));
                    out.add(new MetricValue("map@r", r.mapAtR(), split, sample));
                }
                case AUC -> {
                    PairAuc.Pooled pooled = scanned.pooled().orElseThrow();
                    out.add(new MetricValue("auc", pooled.auc(), split, with(sample, Map.of("mode", "pooled",
                            "sampled", Boolean.toString(pooled.sampled()),
                            "pairs", Long.toString(pooled.positivePairs() + pooled.negativePairs())))));
                    PairAuc.PerQuery perQuery = scanned.perQuery().orElseThrow();
                    out.add(new MetricValue("auc-per-query", perQuery.meanAuc(), split, sample));
                }
                case KNN -> {
                    WeightedKnn.Result r = scanned.knn().orElseThrow();
                    out.add(new MetricValue("knn-accuracy", r.accuracy(), split, with(sample,
                            Map.of("k", Integer.toString(r.k()), "tau", Double.toString(r.tau())))));
                }
                case LINEAR_PROBE -> {
                    probe = fitProbe(in, probe);
                    out.add(MetricValue.of("linear-probe-accuracy",
                            probe.accuracy(in.testEmbeddings(), in.testLabels()), split));
                }
                case NME -> out.add(MetricValue.of("nme-accuracy", NearestClassMean
                        .fit(in.trainEmbeddings(), in.trainLabels())
                        .evaluate(in.testEmbeddings(), in.testLabels()).accuracy(), split));
                case ALIGNMENT_UNIFORMITY -> {
                    AlignmentUniformity au = new AlignmentUniformity(suite.maxPairs(), suite.seed());
                    AlignmentUniformity.Estimate a = au.alignmentSameLabel(in.testEmbeddings(), in.testLabels(),
                            suite.alignAlpha());
                    AlignmentUniformity.Estimate u = au.uniformity(in.testEmbeddings(), suite.uniformityT());
                    out.add(new MetricValue("alignment", a.value(), split, Map.of("alpha",
                            Double.toString(suite.alignAlpha()), "pairs", Long.toString(a.pairs()),
                            "sampled", Boolean.toString(a.sampled()))));
                    out.add(new MetricValue("uniformity", u.value(), split, Map.of("t",
                            Double.toString(suite.uniformityT()), "pairs", Long.toString(u.pairs()),
                            "sampled", Boolean.toString(u.sampled()))));
                }
                case ADVERSARIAL -> {
                    if (in.robustness().isEmpty()) {
                        LOG.warn("suite {}: skipping adversarial robustness, no images/encoder given", suite.name());
                    } else {
                        RobustnessInput r = in.robustness().get();
                        probe = fitProbe(in, probe);
                        for (AdversarialRobustness.Result x : new AdversarialRobustness(suite.adversarial())
                                .evaluate(r.manager(), r.encoder(), probe, r.images(), r.labels())) {
                            Map<String, String> labels = Map.of("attack", x.attack(),
                                    "epsilon", Double.toString(x.epsilon()));
                            out.add(new MetricValue("robust-accuracy", x.accuracy(), split, labels));
                            out.add(new MetricValue("robust-recall@1", x.recallAt1(), split, labels));
                        }
                    }
                }
                case CORRUPTION -> {
                    if (in.robustness().isEmpty()) {
                        LOG.warn("suite {}: skipping corruption robustness, no images/encoder given", suite.name());
                    } else {
                        RobustnessInput r = in.robustness().get();
                        probe = fitProbe(in, probe);
                        for (CorruptionRobustness.Result x : new CorruptionRobustness(suite.seed(),
                                suite.adversarial().batchSize()).evaluate(r.manager(), r.encoder(), probe, r.images(),
                                r.labels(), suite.corruptions())) {
                            out.add(new MetricValue("corruption-accuracy", x.accuracy(), split,
                                    Map.of("corruption", x.corruption(), "severity", Integer.toString(x.severity()))));
                        }
                    }
                }
            }
            done++;
            LOG.debug("suite {}: {} took {} ms", suite.name(), metric, (System.nanoTime() - t0) / 1_000_000);
            progress.onProgress(metric.name().toLowerCase(Locale.ROOT), done, total);
        }
        return out;
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        if (a.isEmpty()) {
            return b;
        }
        Map<String, String> m = new java.util.HashMap<>(b);
        m.putAll(a);
        return Map.copyOf(m);
    }

    private LinearProbe.Model fitProbe(Input in, LinearProbe.Model existing) {
        return existing != null ? existing : new LinearProbe(suite.probe()).fit(in.trainEmbeddings(),
                in.trainLabels());
    }
}
