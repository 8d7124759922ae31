package io.contrastream.infra;

import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.codec.EventSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The typed topics of a deployment: each {@link TopicCatalog} entry with its key and event serdes. */
public final class EventTopics {
    private final TopicCatalog catalog;
    private final Topic<String, Sample> samples;
    private final Topic<String, AugmentedView> views;
    private final Topic<String, TaskEvent> control;
    private final Topic<String, HardNegativeSet> hardNegatives;
    private final Topic<String, CheckpointEvent> checkpoints;
    private final Topic<String, MetricRecord> metrics;
    private final Topic<String, ReplayEntry> replay;
    private final Topic<String, DeadLetter> deadLetter;
    private final Topic<String, MetricRecord> metricsSummary;

    public EventTopics(TopicCatalog catalog) {
        this.catalog = catalog;
        Serde<String> keys = Serdes.String();
        this.samples = new Topic<>(catalog.samples(), keys, EventSerde.of(Sample.class));
        this.views = new Topic<>(catalog.views(), keys, EventSerde.of(AugmentedView.class));
        this.control = new Topic<>(catalog.control(), keys, EventSerde.of(TaskEvent.class));
        this.hardNegatives = new Topic<>(catalog.hardNegatives(), keys, EventSerde.of(HardNegativeSet.class));
        this.checkpoints = new Topic<>(catalog.checkpoints(), keys, EventSerde.of(CheckpointEvent.class));
        this.metrics = new Topic<>(catalog.metrics(), keys, EventSerde.of(MetricRecord.class));
        this.replay = new Topic<>(catalog.replay(), keys, EventSerde.of(ReplayEntry.class));
        this.deadLetter = new Topic<>(catalog.deadLetter(), keys, EventSerde.of(DeadLetter.class));
        this.metricsSummary = new Topic<>(catalog.metricsSummary(), keys, EventSerde.of(MetricRecord.class));
    }

    public TopicCatalog catalog() {
        return catalog;
    }

    public Topic<String, Sample> samples() {
        return samples;
    }

    public Topic<String, AugmentedView> views() {
        return views;
    }

    public Topic<String, TaskEvent> control() {
        return control;
    }

    public Topic<String, HardNegativeSet> hardNegatives() {
        return hardNegatives;
    }

    public Topic<String, CheckpointEvent> checkpoints() {
        return checkpoints;
    }

    public Topic<String, MetricRecord> metrics() {
        return metrics;
    }

    public Topic<String, ReplayEntry> replay() {
        return replay;
    }

    public Topic<String, DeadLetter> deadLetter() {
        return deadLetter;
    }

    public Topic<String, MetricRecord> metricsSummary() {
        return metricsSummary;
    }
}
