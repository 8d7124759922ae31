package io.contrastream.infra;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every topic of one deployment, named {@code <prefix>.<topic>} (e.g. {@code contrastream.views}). The one place
 * topic names, partition counts and retention are defined.
 *
 * @param prefix            deployment prefix
 * @param partitions        partitions of the data-parallel topics (samples, views, hard-negatives, metrics, dead-letter)
 * @param replicationFactor replication of every topic (1 on the embedded broker)
 */
public record TopicCatalog(String prefix, int partitions, short replicationFactor) {
    public static final String DEFAULT_PREFIX = "contrastream";
    private static final long WEEK = Duration.ofDays(7).toMillis();
    private static final int MB = 1024 * 1024;

    public TopicCatalog {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[a-zA-Z0-9_-][a-zA-Z0-9._-]*")) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must be of [a-zA-Z0-9._-]");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
    }

    /** The default deployment on a single broker: prefix {@code contrastream}, 4 partitions, replication 1. */
    public static TopicCatalog defaults() {
        return new TopicCatalog(DEFAULT_PREFIX, 4, (short) 1);
    }

    /** Raw samples from any system; the documented ingestion point. */
    public TopicSpec samples() {
        return spec("samples", partitions, TopicSpec.Cleanup.DELETE, WEEK, 8 * MB);
    }

    /** Augmented views; all views of a sample share its key and so its partition. */
    public TopicSpec views() {
        return spec("views", partitions, TopicSpec.Cleanup.DELETE, WEEK, 8 * MB);
    }

    /** Task boundaries; one partition because their order matters. */
    public TopicSpec control() {
        return spec("control", 1, TopicSpec.Cleanup.DELETE, TopicSpec.FOREVER, MB);
    }

    /** Latest hard-negative set per anchor. */
    public TopicSpec hardNegatives() {
        return spec("hard-negatives", partitions, TopicSpec.Cleanup.COMPACT, TopicSpec.FOREVER, MB);
    }

    /** Checkpoint announcements (references, never weights); long retention so runs can resume. */
    public TopicSpec checkpoints() {
        return spec("checkpoints", 1, TopicSpec.Cleanup.DELETE, TopicSpec.FOREVER, MB);
    }

    /** Metric records keyed run/step/metric/split. */
    public TopicSpec metrics() {
        return spec("metrics", partitions, TopicSpec.Cleanup.DELETE, TopicSpec.FOREVER, MB);
    }

    /** Durable replay buffer slots of trainers. */
    public TopicSpec replay() {
        return spec("replay", partitions, TopicSpec.Cleanup.COMPACT, TopicSpec.FOREVER, 8 * MB);
    }

    /** Records a worker could not process, with the reason. */
    public TopicSpec deadLetter() {
        return spec("dead-letter", partitions, TopicSpec.Cleanup.DELETE, 4 * WEEK, 16 * MB);
    }

    /**
     * Derived per-run summaries of the metrics aggregator (continual-learning average accuracy, forgetting, backward
     * transfer), latest value per key.
     */
    public TopicSpec metricsSummary() {
        return spec("metrics-summary", partitions, TopicSpec.Cleanup.COMPACT, TopicSpec.FOREVER, MB);
    }

    /** Every topic, in the order of the architecture's topic table. */
    public List<TopicSpec> all() {
        return List.of(samples(), views(), control(), hardNegatives(), checkpoints(), metrics(), replay(), deadLetter(),
                metricsSummary());
    }

    private TopicSpec spec(String suffix, int count, TopicSpec.Cleanup cleanup, long retentionMs, int maxBytes) {
        return new TopicSpec(prefix + "." + suffix, count, replicationFactor, cleanup, retentionMs, maxBytes);
    }
}
