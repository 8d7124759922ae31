package io.contrastream.model.replay;

import io.contrastream.data.Image;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.model.replay.internal.SplitMix64;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed-capacity episodic memory of raw samples for class-incremental continual learning (rehearsal), filled
 * from the training stream under a {@link ReplayPolicy}.
 *
 * <p>Memory is bounded by the capacity whatever the stream length: slot {@code i} gets one {@code float[C*H*W]}
 * the first time it is written and that array is overwritten in place afterwards ({@link #allocatedSlots()} never
 * exceeds {@link ReplayConfig#capacity()}). Eviction choices come from the buffer's own seeded generator, whose
 * state is part of {@link #writeTo}, so save then restore continues exactly as if uninterrupted.
 *
 * <p>Validation at the point of use: {@link #offer} checks only the shape (it has to fit a slot); whenever stored
 * samples are drawn ({@link #sample}, {@link #exemplars}) or restored ({@link #readFrom},
 * {@link #fromReplayEntries}), a sample whose form is invalid (a non-finite pixel, a pixel count that does not match
 * its shape, a shape other than the buffer's) is removed from the buffer and counted in {@link #droppedInvalid()},
 * so it is never trained on.
 *
 * <p>Not thread-safe: one trainer thread owns a buffer.
 */
public final class ReplayBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayBuffer.class);

    private final ReplayConfig config;
    private final int sampleSize;
    private final String[] ids;
    private final int[] labels;
    private final int[] tasks;
    private final long[] writtenAt;
    private final float[][] pixels;
    private final SortedMap<Integer, Integer> counts = new TreeMap<>();
    private final SplitMix64 rng;
    private int[] scratch;
    private int size;
    private int allocatedSlots;
    private long seen;
    private long droppedInvalid;
    private int currentTask = -1;

    private ReplayBuffer(ReplayConfig config, long rngState) {
        this.config = config;
        this.sampleSize = config.sampleSize();
        int capacity = config.capacity();
        this.ids = new String[capacity];
        this.labels = new int[capacity];
        this.tasks = new int[capacity];
        this.writtenAt = new long[capacity];
        this.pixels = new float[capacity][];
        this.rng = new SplitMix64(rngState);
    }

    /** An empty buffer; its generator starts from {@code SplitMix64.mix(config.seed())}. */
    public static ReplayBuffer create(ReplayConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("ReplayBuffer config must not be null");
        }
        return new ReplayBuffer(config, SplitMix64.mix(config.seed()));
    }

    public ReplayConfig config() {
        return config;
    }

    /** Samples stored now. */
    public int size() {
        return size;
    }

    public int capacity() {
        return config.capacity();
    }

    /** Samples offered since the buffer was created (the {@code n} of Algorithm R). */
    public long seen() {
        return seen;
    }

    /** Stored samples removed because their form was invalid when drawn or restored. */
    public long droppedInvalid() {
        return droppedInvalid;
    }

    /** Slot pixel arrays allocated so far, at most the capacity; never grows once every slot has been used. */
    public int allocatedSlots() {
        return allocatedSlots;
    }

    /** The current task id, -1 before the first {@link #onTaskStart}. */
    public int currentTask() {
        return currentTask;
    }

    /** Stored samples per class label, ascending labels (a copy). */
    public SortedMap<Integer, Integer> countsByClass() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }

    /**
     * Offers the next sample of the stream; it is copied if stored.
     *
     * @throws IllegalArgumentException naming the sample when its shape is not the buffer's
     */
    public Offer offer(ReplaySample sample) {
        Image image = sample.image();
        if (image.channels() != config.channels() || image.height() != config.height()
                || image.width() != config.width()) {
            throw new IllegalArgumentException("Replay sample " + sample.sampleId() + " has shape " + image
                    + " but the replay buffer of run " + config.runId() + " stores " + config.channels() + "x"
                    + config.height() + "x" + config.width() + " samples; use one buffer per sample shape");
        }
        seen++;
        if (size < config.capacity()) {
            int slot = size++;
            write(slot, sample);
            return new Offer.Stored(slot, Optional.empty());
        }
        int slot = config.policy() == ReplayPolicy.RESERVOIR ? reservoirSlot() : balancedSlot(sample.label());
        if (slot < 0) {
            return new Offer.Skipped();
        }
        String evicted = ids[slot];
        decrement(labels[slot]);
        write(slot, sample);
        return new Offer.Stored(slot, Optional.of(evicted));
    }

    private int reservoirSlot() {
        long j = rng.nextLong(seen);
        return j < config.capacity() ? (int) j : -1;
    }

    private int balancedSlot(int label) {
        int max = 0;
        int tied = 0;
        for (int count : counts.values()) {
            if (count > max) {
                max = count;
                tied = 1;
            } else if (count == max) {
                tied++;
            }
        }
        if (counts.getOrDefault(label, 0) >= max) {
            return -1;
        }
        int pick = tied == 1 ? 0 : rng.nextInt(tied);
        int largest = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (e.getValue() == max && pick-- == 0) {
                largest = e.getKey();
                break;
            }
        }
        // The r-th slot of the class in slot order (not a per-class list) so the choice depends only on the slot
        // contents, which is what writeTo saves: a restored buffer then evicts exactly the same slots.
        int r = rng.nextInt(max);
        for (int i = 0; i < size; i++) {
            if (labels[i] == largest && r-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("Replay buffer class counts out of sync with slots for label " + largest);
    }

    private void write(int slot, ReplaySample sample) {
        if (pixels[slot] == null) {
            pixels[slot] = new float[sampleSize];
            allocatedSlots++;
        }
        System.arraycopy(sample.image().pixels(), 0, pixels[slot], 0, sampleSize);
        ids[slot] = sample.sampleId();
        labels[slot] = sample.label();
        tasks[slot] = sample.taskId();
        writtenAt[slot] = seen;
        counts.merge(sample.label(), 1, Integer::sum);
    }

    private void decrement(int label) {
        counts.computeIfPresent(label, (k, v) -> v == 1 ? null : v - 1);
    }

    /**
     * Draws {@code min(k, size())} distinct stored samples uniformly without replacement (partial Fisher-Yates
     * over the slots), as copies. Invalid stored samples met on the way are removed and counted, and the draw is
     * repeated over the remaining slots.
     *
     * @param rng the caller's generator (the buffer's own generator is not advanced)
     */
    public List<ReplaySample> sample(int k, RandomGenerator rng) {
        if (k < 0) {
            throw new IllegalArgumentException("Replay sample count k must be >= 0, got " + k);
        }
        while (true) {
            int n = Math.min(k, size);
            if (scratch == null) {
                scratch = new int[config.capacity()];
            }
            for (int i = 0; i < size; i++) {
                scratch[i] = i;
            }
            boolean removed = false;
            for (int i = 0; i < n; i++) {
                int j = i + rng.nextInt(size - i);
                int t = scratch[i];
                scratch[i] = scratch[j];
                scratch[j] = t;
            }
            // Remove invalid slots in descending index order: a swap-remove only moves the last slot.
            int[] chosen = Arrays.copyOf(scratch, n);
            Arrays.sort(chosen);
            for (int i = n - 1; i >= 0; i--) {
                if (dropIfInvalid(chosen[i])) {
                    removed = true;
                }
            }
            if (!removed) {
                List<ReplaySample> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(copyOf(scratch[i]));
                }
                return out;
            }
        }
    }

    /** Every stored sample, in slot order, as copies (for nearest-class-mean); invalid ones are dropped first. */
    public List<ReplaySample> exemplars() {
        for (int i = size - 1; i >= 0; i--) {
            dropIfInvalid(i);
        }
        List<ReplaySample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(copyOf(i));
        }
        return out;
    }

    private ReplaySample copyOf(int slot) {
        return new ReplaySample(ids[slot], labels[slot], tasks[slot],
                new Image(config.channels(), config.height(), config.width(), pixels[slot].clone()));
    }

    private boolean dropIfInvalid(int slot) {
        Optional<String> problem = problem(pixels[slot], sampleSize);
        if (problem.isEmpty()) {
            return false;
        }
        LOG.warn("Replay buffer of run {} drops stored sample {} (slot {}): {}", config.runId(), ids[slot], slot,
                problem.get());
        removeSlot(slot);
        droppedInvalid++;
        return true;
    }

    /** Empty when {@code values} is a valid sample of {@code expected} finite values, else what is wrong. */
    static Optional<String> problem(float[] values, int expected) {
        if (values.length != expected) {
            return Optional.of(values.length + " pixel values, expected " + expected);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return Optional.of("pixel " + i + " is " + values[i]);
            }
        }
        return Optional.empty();
    }

    private void removeSlot(int slot) {
        decrement(labels[slot]);
        int last = size - 1;
        if (slot != last) {
            float[] hole = pixels[slot];
            ids[slot] = ids[last];
            labels[slot] = labels[last];
            tasks[slot] = tasks[last];
            writtenAt[slot] = writtenAt[last];
            pixels[slot] = pixels[last];
            pixels[last] = hole;
        }
        ids[last] = null;
        size--;
    }

    /**
     * Task bookkeeping on a task START control event. Accepted when {@code taskId} is the next task
     * ({@code current + 1}; the first task is 0) or, as a duplicate, the current one.
     *
     * @return {@link TaskStart.Started}, {@link TaskStart.Duplicate}, or {@link TaskStart.Rejected} for another
     *         run's event or an out-of-order task id, in which case nothing changes
     */
    public TaskStart onTaskStart(String runId, int taskId) {
        if (!config.runId().equals(runId)) {
            return new TaskStart.Rejected(TaskStart.Reason.UNKNOWN_RUN, "Task " + taskId + " START names run "
                    + runId + " but this replay buffer belongs to run " + config.runId()
                    + "; check the control topic's run id");
        }
        if (taskId == currentTask) {
            return new TaskStart.Duplicate(taskId);
        }
        if (taskId != currentTask + 1) {
            return new TaskStart.Rejected(TaskStart.Reason.OUT_OF_ORDER, "Task " + taskId + " START for run "
                    + runId + " is out of order: current task is " + currentTask + ", expected " + (currentTask + 1)
                    + " (next) or " + currentTask + " (duplicate)");
        }
        currentTask = taskId;
        return new TaskStart.Started(taskId);
    }

    /**
     * Writes the whole buffer (config, counters, generator state, slots) in the format documented on
     * {@link ReplayFile}. The stream is flushed, not closed.
     */
    public void writeTo(OutputStream out) throws IOException {
        ReplayFile.write(this, out);
    }

    /**
     * Reads a buffer written by {@link #writeTo}. Slots whose form is invalid are dropped and counted in
     * {@link #droppedInvalid()}; otherwise the result is identical to the saved buffer, including its generator.
     *
     * @throws ReplayFormatException naming the field for a file that is not a readable replay buffer
     */
    public static ReplayBuffer readFrom(InputStream in) throws IOException {
        return ReplayFile.read(in);
    }

    /**
     * One {@link ReplayEntry} per stored slot (run id, slot, sample id, label, task id, FLOAT32 little-endian
     * tensor of shape {@code [C, H, W]}, and {@code seen} when the slot was written), for a compacted replay topic
     * keyed by run and slot. Slots at or above {@link #size()} are empty (publish tombstones for them if needed).
     */
    public List<ReplayEntry> toReplayEntries() {
        return ReplayEntries.of(this);
    }

    /**
     * Rebuilds a buffer from replay topic entries (any order, older versions of a slot allowed: the one with the
     * largest {@code seen} wins). Entries of other runs are ignored; invalid ones (slot outside the capacity, bad
     * tensor) are counted in {@link #droppedInvalid()}. The entries do not carry the buffer's generator or exact
     * counters, so this restore is approximate: contents are exact, {@code seen} is the largest entry {@code seen},
     * the current task is the largest stored task id, and the generator restarts from
     * {@code mix(config.seed() ^ seen)}. Prefer {@link #readFrom} from a checkpoint for exact resumption.
     */
    public static ReplayBuffer fromReplayEntries(ReplayConfig config, Iterable<ReplayEntry> entries) {
        return ReplayEntries.restore(config, entries);
    }

    // ---- package-private access for ReplayFile / ReplayEntries ----

    static ReplayBuffer restoring(ReplayConfig config, long rngState, long seen, long droppedInvalid,
                                  int currentTask) {
        ReplayBuffer buffer = new ReplayBuffer(config, rngState);
        buffer.seen = seen;
        buffer.droppedInvalid = droppedInvalid;
        buffer.currentTask = currentTask;
        return buffer;
    }

    /** Appends a restored slot, or drops and counts it when its form is invalid. */
    void restoreSlot(String sampleId, int label, int taskId, long slotSeen, int[] shape, float[] values) {
        Optional<String> problem = Arrays.equals(shape, config.shape())
                ? problem(values, sampleSize)
                : Optional.of("shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(config.shape()));
        if (problem.isPresent() || size == config.capacity()) {
            LOG.warn("Replay buffer of run {} drops restored sample {}: {}", config.runId(), sampleId,
                    problem.orElse("buffer already full"));
            droppedInvalid++;
            return;
        }
        int slot = size++;
        pixels[slot] = values;
        allocatedSlots++;
        ids[slot] = sampleId;
        labels[slot] = label;
        tasks[slot] = taskId;
        writtenAt[slot] = slotSeen;
        counts.merge(label, 1, Integer::sum);
    }

    void countDropped() {
        droppedInvalid++;
    }

    long rngState() {
        return rng.state();
    }

    String slotId(int slot) {
        return ids[slot];
    }

    int slotLabel(int slot) {
        return labels[slot];
    }

    int slotTask(int slot) {
        return tasks[slot];
    }

    long slotSeen(int slot) {
        return writtenAt[slot];
    }

    /** The slot's backing array (not copied): for serialization and identity checks in tests. */
    float[] slotPixels(int slot) {
        return pixels[slot];
    }
}
