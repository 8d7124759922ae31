package io.contrastream.trainer.internal;

import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayConfig;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.model.replay.TaskStart;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.Tensor;
import io.contrastream.trainer.ReplaySettings;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.replay.BatchComposer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's rehearsal state: its {@link ReplayBuffer} of raw samples (taken from the {@code original} tensor
 * of view 0) and the {@link BatchComposer} that appends replayed samples to every trained batch. Owned by the
 * training loop; {@link #compose} runs on the compute thread while the loop waits for that step before touching
 * the buffer again (offers, checkpoints), so the buffer is never used by two threads at once. At each checkpoint
 * the slots changed since the previous one are also published to the compacted replay topic
 * ({@link #changedSlots}), inside the checkpoint transaction.
 */
public final class Rehearsal {
    private static final Logger LOG = LoggerFactory.getLogger(Rehearsal.class);
    /** Mixed into the trainer seed so replayed views differ from the producers' views of the same sample. */
    private static final long COMPOSER_SEED_SALT = 0x5265706c61795631L;

    private final String runId;
    private final ReplayConfig replayConfig;
    private final BatchComposer composer;
    private ReplayBuffer buffer;
    private String[] publishedIds;
    private long[] publishedSeen;
    private boolean warnedMissing;
    private boolean warnedInvalid;

    private Rehearsal(TrainerConfig config) {
        ReplaySettings settings = config.replay();
        int[] shape = config.encoder().inputShape();
        this.runId = config.runId();
        this.replayConfig = new ReplayConfig(config.runId(), settings.capacity(), settings.policy(), shape[0],
                shape[1], shape[2], config.seed());
        this.buffer = ReplayBuffer.create(replayConfig);
        this.publishedIds = new String[settings.capacity()];
        this.publishedSeen = new long[settings.capacity()];
        this.composer = BatchComposer.builder()
                .setPipeline(AugmentationPipeline.of(AugmentationPresets.byName(settings.presetFor(shape[0]))))
                .setViews(config.views()).setBaseSeed(config.seed() ^ COMPOSER_SEED_SALT)
                .optReplayRatio(settings.ratio()).build();
    }

    /** The rehearsal state for {@code config}, empty when replay is off. */
    public static Optional<Rehearsal> of(TrainerConfig config) {
        return config.replay().enabled() ? Optional.of(new Rehearsal(config)) : Optional.empty();
    }

    /** The live buffer (read only for callers outside the loop). */
    public ReplayBuffer buffer() {
        return buffer;
    }

    /** The buffer configuration this trainer expects (a restored buffer must have exactly this one). */
    public ReplayConfig replayConfig() {
        return replayConfig;
    }

    /** Task bookkeeping when the trainer begins training {@code taskId}; a refusal is logged, buffer untouched. */
    public void startTask(int taskId) {
        TaskStart start = buffer.onTaskStart(runId, taskId);
        if (start instanceof TaskStart.Rejected rejected) {
            LOG.warn("replay buffer refused task {} start ({}): {}", taskId, rejected.reason(), rejected.message());
        } else if (start instanceof TaskStart.Started) {
            LOG.info("replay buffer: task {} started with {} stored samples {}", taskId, buffer.size(),
                    buffer.countsByClass());
        }
    }

    /** {@code current} plus {@code R} freshly augmented replayed samples, rehearsal mask true for those. */
    public TrainBatch compose(TrainBatch current, long draw) {
        return composer.compose(current, buffer, draw);
    }

    /**
     * Offers the raw sample of each trained sample (view 0's {@code original}) to the buffer.
     *
     * @return how many samples could not be offered (no or unusable {@code original}); each kind is WARNed once
     */
    public int offer(List<AssembledSample> samples) {
        int notOffered = 0;
        int[] shape = replayConfig.shape();
        for (AssembledSample sample : samples) {
            AugmentedView view0 = sample.views().get(0).view();
            Tensor original = view0.getOriginal();
            if (original == null) {
                notOffered++;
                if (!warnedMissing) {
                    warnedMissing = true;
                    LOG.warn("replay is on but view 0 of sample {} (at {}) has no 'original' tensor, so it is not"
                            + " stored in the replay buffer (counted in 'replayNotOffered', warned once); run the"
                            + " producer with --include-original (ViewProducer.optIncludeOriginal(true))",
                            sample.sampleId(), sample.views().get(0).location());
                }
                continue;
            }
            Optional<String> problem = problem(original, shape);
            long label = sample.label();
            if (problem.isEmpty() && label < 0) {
                problem = Optional.of("the sample has no label (the buffer stores labelled samples)");
            }
            if (problem.isPresent()) {
                notOffered++;
                if (!warnedInvalid) {
                    warnedInvalid = true;
                    LOG.warn("original of sample {} (at {}) cannot be stored in the replay buffer: {} (counted in"
                            + " 'replayNotOffered', warned once)", sample.sampleId(),
                            sample.views().get(0).location(), problem.get());
                }
                continue;
            }
            float[] pixels = new float[replayConfig.sampleSize()];
            original.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
            buffer.offer(new ReplaySample(sample.sampleId(), Math.toIntExact(label), sample.taskId(),
                    new Image(shape[0], shape[1], shape[2], pixels)));
        }
        return notOffered;
    }

    /**
     * Why {@code tensor} cannot stand for a raw sample of {@code shape} (dtype, shape, byte length, a non-finite
     * pixel), or empty when it can.
     */
    static Optional<String> problem(Tensor tensor, int[] shape) {
        if (tensor.getDtype() != DType.FLOAT32) {
            return Optional.of("dtype " + tensor.getDtype() + ", expected FLOAT32");
        }
        List<Integer> s = tensor.getShape();
        if (s.size() != 3 || s.get(0) != shape[0] || s.get(1) != shape[1] || s.get(2) != shape[2]) {
            return Optional.of("shape " + s + ", expected " + Arrays.toString(shape));
        }
        int values = shape[0] * shape[1] * shape[2];
        if (tensor.getData().remaining() != 4 * values) {
            return Optional.of(tensor.getData().remaining() + " bytes, expected 4*C*H*W = " + 4 * values);
        }
        var floats = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < values; i++) {
            float f = floats.get(i);
            if (!Float.isFinite(f)) {
                return Optional.of("non-finite pixel " + f + " at index " + i);
            }
        }
        return Optional.empty();
    }

    /** Writes the buffer as {@code dir/name} (temp file, fsync, SHA-256, atomic rename). */
    public StoredCheckpoint write(Path dir, String name) {
        return CheckpointFiles.writeBlob(dir, name, buffer::writeTo);
    }

    /**
     * Replaces the buffer by one restored from a checkpoint.
     *
     * @throws IllegalArgumentException naming both configurations when the restored buffer was made with other
     *                                  settings (capacity, policy, shape, seed or run)
     */
    public void restore(ReplayBuffer restored) {
        if (!restored.config().equals(replayConfig)) {
            throw new IllegalArgumentException("the checkpoint's replay buffer was written with " + restored.config()
                    + " but this trainer is configured for " + replayConfig
                    + "; use the same --replay-buffer, --replay-policy, input shape and seed, or a new --run-id");
        }
        buffer = restored;
        markPublished();
    }

    /**
     * The replay-topic records for every slot whose content changed since {@link #markPublished()} (key
     * {@code <runId>/<slot>}), and a tombstone for every slot that was published and is now empty.
     */
    public List<ProducerRecord<String, ReplayEntry>> changedSlots(String topic) {
        List<ProducerRecord<String, ReplayEntry>> records = new ArrayList<>();
        List<ReplayEntry> entries = buffer.toReplayEntries();
        for (ReplayEntry entry : entries) {
            int slot = entry.getSlot();
            if (!entry.getSampleId().equals(publishedIds[slot]) || entry.getSeen() != publishedSeen[slot]) {
                records.add(new ProducerRecord<>(topic, key(slot), entry));
            }
        }
        for (int slot = entries.size(); slot < publishedIds.length; slot++) {
            if (publishedIds[slot] != null) {
                records.add(new ProducerRecord<>(topic, key(slot), null));
            }
        }
        return records;
    }

    /** Records that the replay topic now holds the buffer's current slots (after a committed checkpoint). */
    public void markPublished() {
        Arrays.fill(publishedIds, null);
        for (ReplayEntry entry : buffer.toReplayEntries()) {
            publishedIds[entry.getSlot()] = entry.getSampleId();
            publishedSeen[entry.getSlot()] = entry.getSeen();
        }
    }

    private String key(int slot) {
        return runId + "/" + slot;
    }
}
