package io.contrastream.experiments;

import io.contrastream.data.Image;
import io.contrastream.data.schedule.Task;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import io.contrastream.trainer.engine.TrainBatch;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A {@link TaskFeed} that reads the views topic: it groups the {@code V} {@link AugmentedView}s of each
 * (sample, epoch), takes the raw sample from view 0's {@code original} tensor (the producer must run with
 * {@code includeOriginal}), and delivers the task's samples in arrival order. A task ends when the number of samples
 * its START event announced ({@code sampleCount x epochs}) has been delivered. Views of a later task pause their
 * partition until that task is asked for, so memory stays bounded however far the producer runs ahead.
 *
 * <p>This feeds experiments, not production training: it commits nothing. The production path with exactly-once
 * checkpoints is the trainer worker.
 */
public final class KafkaTaskFeed implements TaskFeed {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTaskFeed.class);
    private static final EventCodec<AugmentedView> VIEWS = EventCodec.of(AugmentedView.class);
    private static final EventCodec<TaskEvent> TASKS = EventCodec.of(TaskEvent.class);

    private final String runId;
    private final int batchSize;
    private final int views;
    private final Duration stallTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> control;
    private final Map<Integer, TaskEvent> starts = new HashMap<>();
    private final Map<String, AugmentedView[]> partial = new HashMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> stash = new ArrayDeque<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final ArrayDeque<AugmentedView[]> ready = new ArrayDeque<>();
    private long skipped;
    private int currentTask = -1;

    /**
     * @param stallTimeout how long to wait without a new record before giving up on a task
     */
    public KafkaTaskFeed(KafkaCluster cluster, TopicCatalog catalog, String runId, int batchSize, int views,
                         Duration stallTimeout) {
        this.runId = runId;
        this.batchSize = batchSize;
        this.views = views;
        this.stallTimeout = stallTimeout;
        this.consumer = new KafkaConsumer<>(KafkaClientConfigs.consumer(cluster, catalog.prefix() + ".experiment."
                + runId, "experiment-feed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(catalog.views().name()));
        this.control = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster, "experiment-control"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition controlPartition = new TopicPartition(catalog.control().name(), 0);
        control.assign(List.of(controlPartition));
        control.seekToBeginning(List.of(controlPartition));
    }

    @Override
    public long expectedSamples(Task task) {
        TaskEvent start = start(task.id());
        return start.getSampleCount() * start.getEpochs();
    }

    @Override
    public Iterator<FeedBatch> batches(Task task) {
        long expected = expectedSamples(task);
        currentTask = task.id();
        if (!paused.isEmpty()) {
            consumer.resume(paused);
            paused.clear();
        }
        List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>(stash);
        stash.clear();
        held.forEach(this::accept);
        return new Iterator<>() {
            private long delivered;

            @Override
            public boolean hasNext() {
                return delivered < expected;
            }

            @Override
            public FeedBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("task " + task.id() + " delivered all " + expected + " samples");
                }
                int want = (int) Math.min(batchSize, expected - delivered);
                fill(task, want, delivered, expected);
                List<AugmentedView[]> batch = new ArrayList<>(want);
                for (int i = 0; i < want; i++) {
                    batch.add(ready.poll());
                }
                delivered += want;
                return toFeedBatch(task, batch);
            }
        };
    }

    private void fill(Task task, int want, long delivered, long expected) {
        long lastProgress = System.nanoTime();
        while (ready.size() < want) {
            int before = ready.size();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                accept(record);
            }
            if (ready.size() > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new IllegalStateException("task " + task.id() + " of run " + runId + ": no complete sample for "
                        + stallTimeout.toSeconds() + " s after " + (delivered + ready.size()) + " of " + expected
                        + " samples (" + partial.size() + " incomplete, " + skipped + " views skipped); is the producer"
                        + " running with the original tensor on view 0 (includeOriginal)?");
            }
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (paused.contains(partition)) {
            stash.add(record);
            return;
        }
        AugmentedView view;
        try {
            view = VIEWS.decode(record.value());
        } catch (EventDecodingException e) {
            skipped++;
            LOG.warn("skipping an undecodable view: {}", e.at(record.topic(), record.partition(), record.offset())
                    .getMessage());
            return;
        }
        if (!view.getRunId().equals(runId)) {
            skipped++;
            return;
        }
        int task = view.getTaskId() == null ? 0 : view.getTaskId();
        if (task > currentTask) {
            stash.add(record);
            paused.add(partition);
            consumer.pause(List.of(partition));
            return;
        }
        if (view.getViewIndex() < 0 || view.getViewIndex() >= views || view.getLabel() == null) {
            skipped++;
            LOG.warn("skipping view {}#{} at {}-{}@{}: view index outside [0, {}) or no label", view.getSampleId(),
                    view.getViewIndex(), record.topic(), record.partition(), record.offset(), views);
            return;
        }
        String key = view.getSampleId() + "#" + view.getEpoch();
        AugmentedView[] group = partial.computeIfAbsent(key, k -> new AugmentedView[views]);
        group[view.getViewIndex()] = view;
        for (AugmentedView member : group) {
            if (member == null) {
                return;
            }
        }
        partial.remove(key);
        if (group[0].getOriginal() == null) {
            skipped += views;
            LOG.warn("sample {} has no original tensor on view 0; not trained (run the producer with includeOriginal)",
                    view.getSampleId());
            return;
        }
        ready.add(group);
    }

    private FeedBatch toFeedBatch(Task task, List<AugmentedView[]> batch) {
        int n = batch.size();
        List<Integer> shapeList = batch.get(0)[0].getTensor().getShape();
        int[] shape = shapeList.stream().mapToInt(Integer::intValue).toArray();
        int size = shape[0] * shape[1] * shape[2];
        float[] pixels = new float[views * n * size];
        long[] labels = new long[n];
        List<ReplaySample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AugmentedView[] group = batch.get(i);
            for (int v = 0; v < views; v++) {
                readFloats(group[v].getTensor(), pixels, (v * n + i) * size, size, group[v]);
            }
            labels[i] = group[0].getLabel();
            float[] raw = new float[size];
            readFloats(group[0].getOriginal(), raw, 0, size, group[0]);
            samples.add(new ReplaySample(group[0].getSampleId(), group[0].getLabel(), task.id(),
                    new Image(shape[0], shape[1], shape[2], raw)));
        }
        TrainBatch views = TrainBatch.builder().setViews(this.views).setBatchSize(n).setSampleShape(shape)
                .setPixels(pixels).optLabels(labels).build();
        return new FeedBatch(batch.get(0)[0].getEpoch(), samples, views);
    }

    private static void readFloats(Tensor tensor, float[] into, int offset, int size, AugmentedView view) {
        ByteBuffer data = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() != size * Float.BYTES) {
            throw new IllegalArgumentException("view " + view.getSampleId() + "#" + view.getViewIndex() + " has "
                    + data.remaining() + " tensor bytes, expected " + size * Float.BYTES);
        }
        data.asFloatBuffer().get(into, offset, size);
    }

    private TaskEvent start(int taskId) {
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        while (!starts.containsKey(taskId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no START event for task " + taskId + " of run " + runId
                        + " on the control topic within " + stallTimeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : control.poll(Duration.ofMillis(200))) {
                TaskEvent event = TASKS.decode(record.value());
                if (event.getRunId().equals(runId) && event.getPhase() == TaskPhase.START) {
                    starts.put(event.getTaskId(), event);
                }
            }
        }
        return starts.get(taskId);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        control.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
