package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.SyntheticShapes;
import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.testing.SharedKafka;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.codec.EventCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ViewProducerIT {

    @Test
    void shouldDeliverEveryViewExactlyOncePerSampleViewAndEpoch() {
        KafkaCluster cluster = SharedKafka.cluster();
        TopicCatalog topics = SharedKafka.freshCatalog(3);
        SyntheticShapes data = new SyntheticShapes("train", 200, 1, 28, 28, 9L);
        ViewProducer producer = ViewProducer.builder().setRunId("it-run").setDataset(data)
                .optSchedule(TaskSchedule.split(10, 2)).optEpochs(2).optViewCount(2).optSeed(3).optWorkers(2).build();
        ProduceSummary summary = producer.run(cluster, topics, null);
        assertEquals(ProduceSummary.Outcome.COMPLETED, summary.outcome());
        assertEquals(800, summary.recordsSent());

        EventCodec<AugmentedView> codec = EventCodec.of(AugmentedView.class);
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(cluster, topics.views().name(), 800,
                Duration.ofSeconds(60));
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            AugmentedView v = codec.decode(r.value());
            assertEquals(r.key(), v.getSampleId());
            seen.merge(v.getSampleId() + "#" + v.getViewIndex() + "@" + v.getEpoch(), 1, Integer::sum);
        }
        assertEquals(800, records.size());
        assertEquals(800, seen.size());
        assertTrue(seen.values().stream().allMatch(c -> c == 1));

        EventCodec<TaskEvent> tasks = EventCodec.of(TaskEvent.class);
        List<String> control = TopicReader.read(cluster, topics.control().name(), 4, Duration.ofSeconds(30)).stream()
                .map(r -> tasks.decode(r.value())).map(e -> e.getPhase() + " " + e.getTaskId() + " " + e.getSampleCount())
                .toList();
        assertEquals(List.of("START 0 100", "END 0 100", "START 1 100", "END 1 100"), control);
    }
}
