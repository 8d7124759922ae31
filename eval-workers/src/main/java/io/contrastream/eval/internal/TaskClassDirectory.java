package io.contrastream.eval.internal;

import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.Topic;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classes of each task of each run, from the START {@link TaskEvent}s on the control topic (one partition).
 * Read end to end with a group-less reader when a run or task is not known yet, so late task events are picked up.
 */
public final class TaskClassDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(TaskClassDirectory.class);
    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    private final KafkaCluster cluster;
    private final Topic<String, TaskEvent> control;
    private final String clientId;
    private final Map<String, SortedMap<Integer, int[]>> runs = new HashMap<>();
    private long position;

    /**
     * @param cluster  the cluster
     * @param control  the control topic
     * @param clientId client id of the reader
     */
    public TaskClassDirectory(KafkaCluster cluster, Topic<String, TaskEvent> control, String clientId) {
        this.cluster = cluster;
        this.control = control;
        this.clientId = clientId;
    }

    /**
     * Classes of tasks {@code 0..taskId} of {@code runId}, or empty when a task in that range has no START event
     * on the control topic.
     */
    public Optional<SortedMap<Integer, int[]>> classesUpTo(String runId, int taskId) {
        if (!complete(runId, taskId)) {
            readNewEvents();
        }
        if (!complete(runId, taskId)) {
            return Optional.empty();
        }
        return Optional.of(new TreeMap<>(runs.get(runId).headMap(taskId + 1)));
    }

    private boolean complete(String runId, int taskId) {
        SortedMap<Integer, int[]> tasks = runs.get(runId);
        if (tasks == null) {
            return false;
        }
        for (int j = 0; j <= taskId; j++) {
            if (!tasks.containsKey(j)) {
                return false;
            }
        }
        return true;
    }

    private void readNewEvents() {
        EventCodec<TaskEvent> codec = EventCodec.of(TaskEvent.class);
        TopicPartition partition = new TopicPartition(control.name(), 0);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, clientId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(List.of(partition));
            reader.seek(partition, position);
            long end = reader.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (reader.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    try {
                        TaskEvent event = codec.decode(record.value());
                        if (event.getPhase() == TaskPhase.START) {
                            runs.computeIfAbsent(event.getRunId(), r -> new TreeMap<>()).put(event.getTaskId(),
                                    event.getClasses().stream().mapToInt(Integer::intValue).toArray());
                        }
                    } catch (EventDecodingException e) {
                        LOG.warn("ignoring undecodable task event: {}", e.at(record.topic(), record.partition(),
                                record.offset()).getMessage());
                    }
                }
            }
            position = reader.position(partition);
        }
    }
}
