package io.contrastream.trainer;

import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link TrainerWorker} needs, immutable and validated. Defaults live in {@link Builder} only.
 *
 * @param runId                 the run this trainer belongs to; views, task events and checkpoints of other runs
 *                              on the same topics are ignored
 * @param instanceId            this instance within the run (0..); part of the transactional id, so a restarted
 *                              instance with the same id fences its predecessor
 * @param catalog               the deployment's topics
 * @param checkpointDir         where parameter and pending-view files are written
 * @param encoder               encoder to train; its input shape must equal the views' tensor shape
 * @param loss                  contrastive loss
 * @param optimizer             optimiser and learning-rate schedule
 * @param seed                  parameter-initialisation seed
 * @param batchSize             B, samples per step (each with {@code views} views)
 * @param views                 V, views per sample
 * @param checkpointEverySteps  N: a checkpoint every N steps (and at every task end)
 * @param maxBufferedSamples    back-pressure high-water mark: partitions pause at this many buffered samples of the
 *                              current task and resume at half of it
 * @param incompleteTimeout     a sample whose V views have not all arrived this long after its first view is dropped
 * @param maxSteps              stop (after a final checkpoint) once this many steps are done; 0 = no limit
 * @param stopAfterLastTask     stop once the run's final task ({@code taskId == taskCount - 1}) has ended
 * @param idleTimeout           stop (after a final checkpoint) when nothing arrived and nothing trained this long;
 *                              {@link Duration#ZERO} = never
 * @param replay                rehearsal buffer and replay ratio ({@link ReplaySettings#off()} by default); when on,
 *                              view 0 of every sample must carry its raw {@code original} (producer option
 *                              {@code includeOriginal}), and the buffer is saved in every checkpoint
 * @param hardNegatives         M, explicit negatives per sample joined from the {@code hard-negatives} topic (ANCE)
 *                              and filled from a cache of trained samples; 0 = off. The loss must use explicit
 *                              negatives ({@link LossConfig#usesExplicitNegatives()})
 * @param negativeCacheSize     samples (raw pixels and label) kept to resolve mined candidate ids and fill negatives;
 *                              memory is {@code negativeCacheSize * C*H*W * 4} bytes
 */
public record TrainerConfig(String runId, int instanceId, TopicCatalog catalog, Path checkpointDir,
                            EncoderSpec encoder, LossConfig loss, OptimizerConfig optimizer, long seed,
                            int batchSize, int views, int checkpointEverySteps, int maxBufferedSamples,
                            Duration incompleteTimeout, long maxSteps, boolean stopAfterLastTask,
                            Duration idleTimeout, ReplaySettings replay, int hardNegatives,
                            int negativeCacheSize) {

    public TrainerConfig {
        require(runId != null && runId.matches("[A-Za-z0-9._-]+"), "runId",
                "must be non-empty of [A-Za-z0-9._-]", runId);
        require(instanceId >= 0, "instanceId", "must be >= 0", instanceId);
        Objects.requireNonNull(catalog, "TrainerConfig.catalog is required (setCatalog)");
        Objects.requireNonNull(checkpointDir, "TrainerConfig.checkpointDir is required (setCheckpointDir)");
        Objects.requireNonNull(encoder, "TrainerConfig.encoder is required (setEncoder)");
        Objects.requireNonNull(loss, "TrainerConfig.loss is required (setLoss)");
        Objects.requireNonNull(optimizer, "TrainerConfig.optimizer is required (setOptimizer)");
        require(batchSize >= 2, "batchSize", "must be >= 2 (a contrastive batch needs negatives)", batchSize);
        require(views >= 2, "views", "must be >= 2 (a positive pair needs two views)", views);
        require(checkpointEverySteps >= 1, "checkpointEverySteps", "must be >= 1", checkpointEverySteps);
        require(maxBufferedSamples >= 2 * batchSize, "maxBufferedSamples",
                "must be >= 2 * batchSize = " + 2 * batchSize + " so a full batch fits below the resume mark",
                maxBufferedSamples);
        require(incompleteTimeout != null && !incompleteTimeout.isNegative() && !incompleteTimeout.isZero(),
                "incompleteTimeout", "must be positive", incompleteTimeout);
        require(maxSteps >= 0, "maxSteps", "must be >= 0 (0 = no limit)", maxSteps);
        require(idleTimeout != null && !idleTimeout.isNegative(), "idleTimeout", "must be >= 0 (0 = never)",
                idleTimeout);
        Objects.requireNonNull(replay, "TrainerConfig.replay is required (ReplaySettings.off() to disable)");
        require(replay.enabled() || !loss.usesRehearsalMask(), "loss",
                "reads the rehearsal mask of replayed samples, so it needs a replay buffer (optReplay;"
                        + " --replay-buffer N on the command line)", loss.toMap());
        require(hardNegatives >= 0, "hardNegatives", "must be >= 0 (0 = off)", hardNegatives);
        require(hardNegatives == 0 || loss.usesExplicitNegatives(), "loss", "ignores explicit negatives, so"
                + " hardNegatives must be 0; use one of " + LossConfig.EXPLICIT_NEGATIVE_LOSSES, loss.toMap());
        require(negativeCacheSize > hardNegatives, "negativeCacheSize", "must be > hardNegatives = " + hardNegatives
                + " (the cache must hold more samples than one sample's negatives)", negativeCacheSize);
    }

    private static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("TrainerConfig." + field + " " + rule + ", got " + value);
        }
    }

    /** Starts a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The consumer group of the run's trainers: {@code <prefix>.trainer.<runId>}. */
    public String groupId() {
        return catalog.prefix() + ".trainer." + runId;
    }

    /** The transactional id of this instance: {@code <prefix>.trainer.<runId>.<instanceId>}. */
    public String transactionalId() {
        return groupId() + "." + instanceId;
    }

    /** {@link #maxSteps} if set. */
    public Optional<Long> stepLimit() {
        return maxSteps > 0 ? Optional.of(maxSteps) : Optional.empty();
    }

    /** Every field as a string, for checkpoint provenance. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("runId", runId);
        map.put("instanceId", Integer.toString(instanceId));
        map.put("topicPrefix", catalog.prefix());
        map.put("partitions", Integer.toString(catalog.partitions()));
        map.put("checkpointDir", checkpointDir.toString());
        encoder.toMap().forEach((k, v) -> map.put("encoder." + k, v));
        loss.toMap().forEach((k, v) -> map.put("loss." + k, v));
        optimizer.toMap().forEach((k, v) -> map.put("optimizer." + k, v));
        map.put("seed", Long.toString(seed));
        map.put("batchSize", Integer.toString(batchSize));
        map.put("views", Integer.toString(views));
        map.put("checkpointEverySteps", Integer.toString(checkpointEverySteps));
        map.put("maxBufferedSamples", Integer.toString(maxBufferedSamples));
        map.put("incompleteTimeout", incompleteTimeout.toString());
        map.put("maxSteps", Long.toString(maxSteps));
        map.put("stopAfterLastTask", Boolean.toString(stopAfterLastTask));
        map.put("idleTimeout", idleTimeout.toString());
        replay.toMap().forEach((k, v) -> map.put("replay." + k, v));
        map.put("hardNegatives", Integer.toString(hardNegatives));
        map.put("negativeCacheSize", Integer.toString(negativeCacheSize));
        return map;
    }

    @Override
    public String toString() {
        return "TrainerConfig" + toMap() + " inputShape=" + Arrays.toString(encoder.inputShape());
    }

    /** Builder: {@code setX} required, {@code optX} optional; the defaults are here and only here. */
    public static final class Builder {
        private String runId;
        private int instanceId = 0;
        private TopicCatalog catalog;
        private Path checkpointDir;
        private EncoderSpec encoder;
        private LossConfig loss;
        private OptimizerConfig optimizer;
        private Long seed;
        private int batchSize = 256;
        private int views = 2;
        private int checkpointEverySteps = 200;
        private Integer maxBufferedSamples;
        private Duration incompleteTimeout = Duration.ofSeconds(30);
        private long maxSteps = 0;
        private boolean stopAfterLastTask = false;
        private Duration idleTimeout = Duration.ZERO;
        private ReplaySettings replay = ReplaySettings.off();
        private int hardNegatives = 0;
        private int negativeCacheSize = 20_000;

        private Builder() {
        }

        public Builder setRunId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder setCatalog(TopicCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder setCheckpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        public Builder setEncoder(EncoderSpec encoder) {
            this.encoder = encoder;
            return this;
        }

        public Builder setLoss(LossConfig loss) {
            this.loss = loss;
            return this;
        }

        public Builder setOptimizer(OptimizerConfig optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Default 0. */
        public Builder optInstanceId(int instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /** Default 256. */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Default 2. */
        public Builder optViews(int views) {
            this.views = views;
            return this;
        }

        /** Default 200. */
        public Builder optCheckpointEverySteps(int steps) {
            this.checkpointEverySteps = steps;
            return this;
        }

        /** Default {@code 8 * batchSize}. */
        public Builder optMaxBufferedSamples(int samples) {
            this.maxBufferedSamples = samples;
            return this;
        }

        /** Default 30 s. */
        public Builder optIncompleteTimeout(Duration timeout) {
            this.incompleteTimeout = timeout;
            return this;
        }

        /** Default 0 (no limit). */
        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Default false. */
        public Builder optStopAfterLastTask(boolean stop) {
            this.stopAfterLastTask = stop;
            return this;
        }

        /** Default {@link Duration#ZERO} (never). */
        public Builder optIdleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Default {@link ReplaySettings#off()}. */
        public Builder optReplay(ReplaySettings replay) {
            this.replay = replay;
            return this;
        }

        /**
         * Default 0 (off): {@code m} explicit negatives per sample, its newest mined candidates (hard-negatives
         * topic) first, the rest drawn from the cache of trained samples; a batch gets none until the cache can
         * supply {@code m} for every sample.
         */
        public Builder optHardNegatives(int m) {
            this.hardNegatives = m;
            return this;
        }

        /** Default 20,000 samples. */
        public Builder optNegativeCacheSize(int samples) {
            this.negativeCacheSize = samples;
            return this;
        }

        public TrainerConfig build() {
            Objects.requireNonNull(seed, "TrainerConfig.seed is required (setSeed)");
            int buffered = maxBufferedSamples != null ? maxBufferedSamples : 8 * batchSize;
            return new TrainerConfig(runId, instanceId, catalog, checkpointDir, encoder, loss, optimizer, seed,
                    batchSize, views, checkpointEverySteps, buffered, incompleteTimeout, maxSteps,
                    stopAfterLastTask, idleTimeout, replay, hardNegatives, negativeCacheSize);
        }
    }
}
