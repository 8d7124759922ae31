package io.contrastream.eval;

import io.contrastream.data.DatasetCatalog;
import io.contrastream.eval.metrics.AdversarialRobustness;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of one {@link EvaluatorWorker}.
 *
 * @param suite                what to compute per checkpoint ({@link MetricSuite#fast()} or {@link MetricSuite#full()})
 * @param dataset              dataset name known to {@link DatasetCatalog} (held-out split: "test")
 * @param dataDir              where {@link DatasetCatalog} finds the dataset files
 * @param trainSubsetSize      size of the seeded subset of "train" used as kNN memory / probe training set
 * @param maxTestSamples       at most this many test samples (a seeded subset); {@link Integer#MAX_VALUE} = all
 * @param robustnessSubsetSize test images attacked / corrupted by the robustness metrics (full suite only)
 * @param robustnessEpsilons   L-infinity radii of the adversarial attacks, pixel units in [0, 1]
 * @param runId                evaluate only checkpoints of this run (others are skipped and their offsets committed)
 * @param groupIdOverride      consumer group; default {@code <prefix>.eval.<suite>} (plus {@code .<runId>} with a
 *                             run filter, so a filtered evaluator never commits past another evaluator's work)
 * @param instanceId           this worker's instance id; part of its transactional id, stable across restarts
 * @param batchSize            images per forward pass when embedding
 * @param suiteThreads         metric families computed in parallel (each family is single-threaded; the families
 *                             that share the linear probe and the encoder's gradients run together on one thread)
 * @param seed                 seeds the data subsets and every sampled metric
 * @param pollTimeout          consumer poll timeout (how quickly {@link EvaluatorWorker#stop()} is noticed)
 */
public record EvaluatorConfig(MetricSuite suite, String dataset, Path dataDir, int trainSubsetSize, int maxTestSamples,
                              int robustnessSubsetSize, List<Double> robustnessEpsilons, Optional<String> runId,
                              Optional<String> groupIdOverride, String instanceId, int batchSize, int suiteThreads,
                              long seed, Duration pollTimeout) {

    /** Default size of the train subset (kNN memory, probe training set). */
    public static final int DEFAULT_TRAIN_SUBSET = 10_000;
    /** Default number of test images for robustness metrics. */
    public static final int DEFAULT_ROBUSTNESS_SUBSET = 500;
    /** Default embedding batch size. */
    public static final int DEFAULT_BATCH_SIZE = 1024;

    /** Validates every field; messages name the field. */
    public EvaluatorConfig {
        Objects.requireNonNull(suite, "EvaluatorConfig.suite");
        if (dataset == null || !DatasetCatalog.NAMES.contains(dataset)) {
            throw new IllegalArgumentException("EvaluatorConfig.dataset '" + dataset + "' is not one of "
                    + DatasetCatalog.NAMES);
        }
        Objects.requireNonNull(dataDir, "EvaluatorConfig.dataDir");
        if (suiteThreads < 1) {
            throw new IllegalArgumentException("EvaluatorConfig.suiteThreads " + suiteThreads + " must be >= 1");
        }
        if (trainSubsetSize < 1 || maxTestSamples < 2 || robustnessSubsetSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("EvaluatorConfig: trainSubsetSize " + trainSubsetSize
                    + " (>= 1), maxTestSamples " + maxTestSamples + " (>= 2), robustnessSubsetSize "
                    + robustnessSubsetSize + " (>= 1), batchSize " + batchSize + " (>= 1) out of range");
        }
        robustnessEpsilons = List.copyOf(robustnessEpsilons);
        if (robustnessEpsilons.isEmpty() || robustnessEpsilons.stream().anyMatch(e -> !(e >= 0 && e <= 1))) {
            throw new IllegalArgumentException("EvaluatorConfig.robustnessEpsilons " + robustnessEpsilons
                    + " must be non-empty, each in [0, 1] (pixel units, e.g. 0.0314 for 8/255)");
        }
        Objects.requireNonNull(runId, "EvaluatorConfig.runId");
        Objects.requireNonNull(groupIdOverride, "EvaluatorConfig.groupIdOverride");
        if (runId.isPresent() && runId.get().isBlank()) {
            throw new IllegalArgumentException("EvaluatorConfig.runId must be non-blank when given");
        }
        if (instanceId == null || !instanceId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("EvaluatorConfig.instanceId '" + instanceId
                    + "' must be non-empty and of [A-Za-z0-9._-]");
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("EvaluatorConfig.pollTimeout " + pollTimeout + " must be positive");
        }
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The consumer group in deployment {@code catalog}. */
    public String groupId(TopicCatalog catalog) {
        return groupIdOverride.orElseGet(() -> catalog.prefix() + ".eval." + suite.name()
                + runId.map(r -> "." + r.replaceAll("[^A-Za-z0-9._-]", "_")).orElse(""));
    }

    /** The transactional id, {@code <group>.<instance>}; stable per instance so a restart fences its zombie. */
    public String transactionalId(TopicCatalog catalog) {
        return groupId(catalog) + "." + instanceId;
    }

    /** The worker name used in dead letters and logs, {@code eval.<suite>.<instance>}. */
    public String workerName() {
        return "eval." + suite.name() + "." + instanceId;
    }

    /**
     * The suite as run: seeded with {@link #seed()}, attacks at {@link #robustnessEpsilons()} with the embedding
     * batch size.
     */
    public MetricSuite effectiveSuite() {
        MetricSuite seeded = suite.withSeed(seed);
        AdversarialRobustness.Config a = seeded.adversarial();
        return seeded.withAdversarial(new AdversarialRobustness.Config(a.attacks(), robustnessEpsilons, a.pgdSteps(),
                a.pgdStepScale(), a.pgdRandomStart(), a.seed(), Math.min(a.batchSize(), batchSize)));
    }

    /** Builder: {@code setSuite} and {@code setDataset} are required. */
    public static final class Builder {
        private MetricSuite suite;
        private String dataset;
        private Path dataDir = DatasetCatalog.defaultDataDir();
        private int trainSubsetSize = DEFAULT_TRAIN_SUBSET;
        private int maxTestSamples = Integer.MAX_VALUE;
        private int robustnessSubsetSize = DEFAULT_ROBUSTNESS_SUBSET;
        private List<Double> robustnessEpsilons;
        private String runId;
        private String groupId;
        private String instanceId = "0";
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int suiteThreads = Runtime.getRuntime().availableProcessors();
        private long seed;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Integer queries;

        private Builder() {
        }

        /** The metric suite. */
        public Builder setSuite(MetricSuite suite) {
            this.suite = suite;
            return this;
        }

        /** The dataset name, e.g. "fashion-mnist" or "synthetic". */
        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Data directory; default {@link DatasetCatalog#defaultDataDir()}. */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Train subset size; default 10,000. */
        public Builder optTrainSubsetSize(int size) {
            this.trainSubsetSize = size;
            return this;
        }

        /** Test sample cap; default all. */
        public Builder optMaxTestSamples(int max) {
            this.maxTestSamples = max;
            return this;
        }

        /** Robustness subset size; default 500. */
        public Builder optRobustnessSubsetSize(int size) {
            this.robustnessSubsetSize = size;
            return this;
        }

        /** Attack radii; default the suite's ({0, 1, 2, 4, 8}/255). */
        public Builder optRobustnessEpsilons(List<Double> epsilons) {
            this.robustnessEpsilons = epsilons;
            return this;
        }

        /** Evaluate only this run's checkpoints. */
        public Builder optRunId(String runId) {
            this.runId = runId;
            return this;
        }

        /** Consumer group instead of the derived one. */
        public Builder optGroupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Instance id; default "0". */
        public Builder optInstanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /** Embedding batch size; default 1024. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Metric families computed in parallel; default the available processors. */
        public Builder optSuiteThreads(int threads) {
            this.suiteThreads = threads;
            return this;
        }

        /** Seed; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Poll timeout; default 500 ms. */
        public Builder optPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /**
         * Test samples used as queries by the suite's per-query metrics ({@link MetricSuite#queries()}), 0 for every
         * one; default the suite's own (2,000 for the fast suite, every one for the full suite).
         */
        public Builder optQueries(int queries) {
            this.queries = queries;
            return this;
        }

        /** Validates and builds. */
        public EvaluatorConfig build() {
            if (suite == null) {
                throw new IllegalArgumentException("EvaluatorConfig: setSuite(MetricSuite) is required");
            }
            MetricSuite suite = this.suite;
            if (queries != null) {
                if (queries < 0) {
                    throw new IllegalArgumentException("EvaluatorConfig.queries " + queries
                            + " must be >= 0 (0 = every test sample is a query)");
                }
                suite = suite.withQueries(queries);
            }
            return new EvaluatorConfig(suite, dataset, dataDir, trainSubsetSize, maxTestSamples, robustnessSubsetSize,
                    robustnessEpsilons != null ? robustnessEpsilons : suite.adversarial().epsilons(),
                    Optional.ofNullable(runId), Optional.ofNullable(groupId), instanceId, batchSize, suiteThreads,
                    seed, pollTimeout);
        }
    }
}
