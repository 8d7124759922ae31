package io.contrastream.producers;

import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.infra.EventTopics;
import io.contrastream.producers.internal.Checked;
import io.contrastream.producers.internal.SampleCheck;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The augmentation stage as a Kafka Streams topology: {@code samples -> V views per sample -> views}.
 *
 * <pre>
 *   samples (bytes) ──► check-sample ──┬─ rejected ──► dead-letter (DeadLetter + error headers)
 *                                      └─ valid ─────► make-views (ViewFactory, epoch 0) ──► views (key sample id)
 * </pre>
 *
 * <p>Views are made by the same {@link ViewFactory} as the {@link ViewProducer}: view {@code v} of sample {@code id}
 * has {@code viewSeed = ViewSeeds.derive(seed, id, v, 0)}, so it is reproducible from the sample, the recipe and
 * the seed. The view's {@code dataset} is the sample's {@code source}. A sample is rejected, with the reason, for:
 * a media type other than {@code image/png}/{@code image/jpeg}, an image ImageIO cannot decode, a tensor shape that
 * is not {@code [C,H,W]}/{@code [H,W]} or disagrees with its byte length (or with the configured expected shape),
 * a dtype other than FLOAT32/UINT8, a FLOAT32 value outside [0, 1], or a label outside the configured classes.
 * Values are read as bytes and decoded by {@code check-sample}, so bytes that are not a decodable {@code Sample} are
 * rejected there as well ({@code DESERIALIZATION}). Every dead letter is therefore written by the topology, inside
 * the stage's exactly-once transaction: a record is dead-lettered once, even across a crash. The dead letter's
 * {@code value} is the record's original bytes.
 */
public final class AugmentTopology {

    /** Worker name written into this stage's dead letters. */
    public static final String WORKER = "augment";

    private AugmentTopology() {
    }

    /** Builds the topology; a pure function of {@code config}. */
    public static Topology build(AugmentConfig config) {
        EventTopics topics = new EventTopics(config.topics());
        ViewFactory factory = new ViewFactory(config.runId(), AugmentationPipeline.of(config.augmentation()),
                config.seed());
        int viewCount = config.viewCount();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, byte[]> samples = builder.stream(topics.samples().name(),
                Consumed.with(topics.samples().keySerde(), Serdes.ByteArray()).withName("samples"));
        KStream<String, Checked> checked = samples.processValues(() -> new SampleCheck(topics.deadLetter(),
                config.classes(), config.expectedShape(), WORKER), Named.as("check-sample"));
        checked.split(Named.as("sample-"))
                .branch((key, value) -> value instanceof Checked.Rejected, Branched.<String, Checked>withConsumer(
                        rejected -> rejected
                                .mapValues(value -> ((Checked.Rejected) value).letter(), Named.as("to-dead-letter"))
                                .to(topics.deadLetter().name(), Produced.<String, DeadLetter>with(
                                        topics.deadLetter().keySerde(), topics.deadLetter().valueSerde())
                                        .withName("dead-letter")))
                        .withName("rejected"))
                .defaultBranch(Branched.<String, Checked>withConsumer(valid -> valid
                        .flatMap((key, value) -> views(factory, (Checked.Valid) value, viewCount),
                                Named.as("make-views"))
                        .to(topics.views().name(), Produced.<String, AugmentedView>with(topics.views().keySerde(),
                                topics.views().valueSerde()).withName("views")))
                        .withName("valid"));
        return builder.build();
    }

    private static List<KeyValue<String, AugmentedView>> views(ViewFactory factory, Checked.Valid sample, int v) {
        List<KeyValue<String, AugmentedView>> out = new ArrayList<>(v);
        for (AugmentedView view : factory.views(sample.source(), sample.sampleId(), sample.label(), sample.taskId(),
                sample.image(), v, 0)) {
            out.add(KeyValue.pair(sample.sampleId(), view));
        }
        return out;
    }
}
