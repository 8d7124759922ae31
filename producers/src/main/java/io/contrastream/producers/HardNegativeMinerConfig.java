package io.contrastream.producers;

import io.contrastream.data.Dataset;
import io.contrastream.infra.TopicCatalog;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of a {@link HardNegativeMiner}; build it with {@link #builder()}.
 *
 * <p>The pool is the first {@code min(poolSize, dataset.size())} samples of the dataset by index (not a random
 * subset): deterministic, the same for every checkpoint, and the samples a {@code ViewProducer} with
 * {@code limitPerTask} sends first. Its ids are {@link Dataset#sampleId(int)}, the ids the ViewProducer keys views by.
 *
 * @param runId              the run whose checkpoints are mined (other runs' checkpoints are ignored)
 * @param dataset            the training split the run's views come from
 * @param poolSize           P, pool samples (>= 2); every pool sample is an anchor and a candidate
 * @param negativesPerAnchor M, candidates per anchor (>= 1)
 * @param batchSize          images per forward pass (>= 1)
 * @param blockRows          anchors per similarity block (>= 1): {@code blockRows * P} floats at once
 * @param pollTimeout        consumer poll timeout (> 0)
 * @param maxCheckpoints     stop after handling this many checkpoints (mined or refused), 0 = until stopped
 * @param groupIdOverride    consumer group; default {@code <prefix>.miner.<runId>}
 */
public record HardNegativeMinerConfig(String runId, Dataset dataset, int poolSize, int negativesPerAnchor,
                                      int batchSize, int blockRows, Duration pollTimeout, int maxCheckpoints,
                                      Optional<String> groupIdOverride) {

    public static final int DEFAULT_POOL_SIZE = 10_000;
    public static final int DEFAULT_NEGATIVES = 8;
    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final int DEFAULT_BLOCK_ROWS = 256;
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

    /** Validates, naming the field. */
    public HardNegativeMinerConfig {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.runId must not be blank (setRunId)");
        }
        if (dataset == null) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.dataset is required (setDataset)");
        }
        if (!"train".equals(dataset.split())) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.dataset must be a train split (the one the"
                    + " views come from), got " + dataset.name() + "/" + dataset.split());
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.poolSize must be >= 2, got " + poolSize);
        }
        if (negativesPerAnchor < 1) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.negativesPerAnchor must be >= 1, got "
                    + negativesPerAnchor);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.batchSize must be >= 1, got " + batchSize);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.blockRows must be >= 1, got " + blockRows);
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.pollTimeout must be > 0, got " + pollTimeout);
        }
        if (maxCheckpoints < 0) {
            throw new IllegalArgumentException("HardNegativeMinerConfig.maxCheckpoints must be >= 0 (0 = until"
                    + " stopped), got " + maxCheckpoints);
        }
        Objects.requireNonNull(groupIdOverride, "HardNegativeMinerConfig.groupIdOverride");
    }

    /** A builder; {@link Builder#setRunId} and {@link Builder#setDataset} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Pool samples actually used: {@code min(poolSize, dataset.size())}. */
    public int effectivePoolSize() {
        return Math.min(poolSize, dataset.size());
    }

    /** The consumer group of this miner. */
    public String groupId(TopicCatalog catalog) {
        return groupIdOverride.orElseGet(() -> catalog.prefix() + ".miner." + runId);
    }

    /** Client id and dead-letter worker name. */
    public String workerName() {
        return "miner-" + runId;
    }

    /** Builder: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private String runId;
        private Dataset dataset;
        private int poolSize = DEFAULT_POOL_SIZE;
        private int negatives = DEFAULT_NEGATIVES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int blockRows = DEFAULT_BLOCK_ROWS;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private int maxCheckpoints;
        private String groupId;

        private Builder() {
        }

        public Builder setRunId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder setDataset(Dataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder optPoolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder optNegativesPerAnchor(int negatives) {
            this.negatives = negatives;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optBlockRows(int blockRows) {
            this.blockRows = blockRows;
            return this;
        }

        public Builder optPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        public Builder optMaxCheckpoints(int maxCheckpoints) {
            this.maxCheckpoints = maxCheckpoints;
            return this;
        }

        public Builder optGroupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public HardNegativeMinerConfig build() {
            return new HardNegativeMinerConfig(runId, dataset, poolSize, negatives, batchSize, blockRows, pollTimeout,
                    maxCheckpoints, Optional.ofNullable(groupId));
        }
    }
}
