package io.contrastream.producers;

import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.AugmentationSpec;
import io.contrastream.infra.TopicCatalog;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of the Streams augmentation stage ({@link AugmentTopology}, {@link AugmentStage}).
 *
 * @param applicationId Kafka Streams application id (consumer group, state dir, transactional ids)
 * @param runId         run id written into every view
 * @param topics        the deployment's topics: reads samples, writes views and dead letters
 * @param viewCount     V views per sample (>= 2)
 * @param augmentation  the recipe (same as the {@link ViewProducer}'s, so views are reproducible)
 * @param seed          augmentation seed; views use epoch 0
 * @param classes       labels accepted; empty = any label (unlabelled samples are always accepted)
 * @param expectedShape {@code [C, H, W]} every sample must have after decoding; empty = any shape
 * @param threads       stream threads (>= 1)
 * @param commitIntervalMs Streams commit interval: each commit ends a transaction, so views become visible to
 *                      read_committed consumers at most this late; longer intervals trade latency for throughput
 */
public record AugmentConfig(String applicationId, String runId, TopicCatalog topics, int viewCount,
                            List<AugmentationSpec> augmentation, long seed, Set<Integer> classes,
                            List<Integer> expectedShape, int threads, int commitIntervalMs) {

    /** Validates and copies. */
    public AugmentConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("AugmentConfig applicationId must not be blank");
        }
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("AugmentConfig runId must not be blank");
        }
        if (topics == null) {
            throw new IllegalArgumentException("AugmentConfig topics (a TopicCatalog) is required");
        }
        if (viewCount < 2) {
            throw new IllegalArgumentException("AugmentConfig viewCount must be >= 2, got " + viewCount);
        }
        augmentation = List.copyOf(augmentation == null ? AugmentationPresets.forDigits() : augmentation);
        AugmentationPipeline.of(augmentation);
        classes = classes == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(classes));
        expectedShape = expectedShape == null ? List.of() : List.copyOf(expectedShape);
        if (!expectedShape.isEmpty() && (expectedShape.size() != 3 || expectedShape.stream().anyMatch(d -> d <= 0))) {
            throw new IllegalArgumentException("AugmentConfig expectedShape must be [C, H, W] with positive sizes, got "
                    + expectedShape);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("AugmentConfig threads must be >= 1, got " + threads);
        }
        if (commitIntervalMs < 1) {
            throw new IllegalArgumentException("AugmentConfig commitIntervalMs must be >= 1, got " + commitIntervalMs);
        }
    }

    /**
     * Defaults: application id {@code <prefix>.augment}, V = 2, the digits preset, seed 0, any label, any shape,
     * one thread, commits every 100 ms (the exactly-once default).
     */
    public static AugmentConfig defaults(TopicCatalog topics, String runId) {
        return new AugmentConfig(topics.prefix() + ".augment", runId, topics, 2, AugmentationPresets.forDigits(), 0L,
                Set.of(), List.of(), 1, 100);
    }

    /** A copy with {@code viewCount}. */
    public AugmentConfig withViewCount(int v) {
        return new AugmentConfig(applicationId, runId, topics, v, augmentation, seed, classes, expectedShape,
                threads, commitIntervalMs);
    }

    /** A copy with the recipe. */
    public AugmentConfig withAugmentation(List<AugmentationSpec> recipe) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, recipe, seed, classes, expectedShape,
                threads, commitIntervalMs);
    }

    /** A copy with the seed. */
    public AugmentConfig withSeed(long s) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, augmentation, s, classes, expectedShape,
                threads, commitIntervalMs);
    }

    /** A copy accepting only {@code accepted} labels. */
    public AugmentConfig withClasses(Set<Integer> accepted) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, augmentation, seed, accepted, expectedShape,
                threads, commitIntervalMs);
    }

    /** A copy requiring shape {@code [c, h, w]}. */
    public AugmentConfig withExpectedShape(int c, int h, int w) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, augmentation, seed, classes, List.of(c, h, w),
                threads, commitIntervalMs);
    }

    /** A copy with another application id. */
    public AugmentConfig withApplicationId(String id) {
        return new AugmentConfig(id, runId, topics, viewCount, augmentation, seed, classes, expectedShape, threads,
                commitIntervalMs);
    }

    /** A copy committing every {@code ms} milliseconds. */
    public AugmentConfig withCommitIntervalMs(int ms) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, augmentation, seed, classes, expectedShape,
                threads, ms);
    }

    /** A copy with {@code n} stream threads. */
    public AugmentConfig withThreads(int n) {
        return new AugmentConfig(applicationId, runId, topics, viewCount, augmentation, seed, classes, expectedShape,
                n, commitIntervalMs);
    }
}
