package io.contrastream.model.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.codec.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplayBufferTest {

    private static ReplayConfig config(int capacity, ReplayPolicy policy, long seed) {
        return new ReplayConfig("run-1", capacity, policy, 1, 2, 2, seed);
    }

    /** Sample {@code i}: pixels alternate between 8-bit values (k/255) and arbitrary floats to cover both dtypes. */
    static ReplaySample sample(int i, int label) {
        float[] p = new float[4];
        for (int j = 0; j < 4; j++) {
            p[j] = i % 2 == 0 ? ((i + j) % 256) * (1f / 255f) : (float) ((i * 0.37 + j * 0.11) % 1.0);
        }
        return new ReplaySample("s" + i, label, label / 2, new Image(1, 2, 2, p));
    }

    private static byte[] bytes(ReplayBuffer buffer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        return out.toByteArray();
    }

    private static ReplayBuffer restore(byte[] bytes) throws IOException {
        return ReplayBuffer.readFrom(new ByteArrayInputStream(bytes));
    }

    @Test
    void shouldIncludeEveryStreamItemWithEqualProbabilityUnderReservoir() {
        // Capacity 100, stream 10,000, 200 runs (seeds 0..199). Items are bucketed by position into 100 buckets of
        // 100 consecutive items; each item is kept with probability 100/10,000, so each bucket expects
        // 200 runs * 100 items * 0.01 = 200 inclusions (20,000 in total). Pearson's statistic
        // X^2 = sum (O - 200)^2 / 200 over 100 buckets has 99 degrees of freedom; the critical value at p = 0.001 is
        // 148.23 (chi2.ppf(0.999, 99)). Within one run the bucket counts are negatively correlated (exactly 100
        // inclusions), which only makes X^2 smaller, so the test is conservative. Observed with these seeds:
        // X^2 = 116.34 < 148.23.
        int capacity = 100;
        int stream = 10_000;
        int runs = 200;
        long[] buckets = new long[100];
        List<ReplaySample> items = new ArrayList<>(stream);
        for (int i = 0; i < stream; i++) {
            items.add(sample(i, 0));
        }
        for (int run = 0; run < runs; run++) {
            ReplayBuffer buffer = ReplayBuffer.create(config(capacity, ReplayPolicy.RESERVOIR, run));
            for (ReplaySample s : items) {
                buffer.offer(s);
            }
            for (int slot = 0; slot < buffer.size(); slot++) {
                int item = Integer.parseInt(buffer.slotId(slot).substring(1));
                buckets[item / 100]++;
            }
        }
        double expected = runs * 100 * (double) capacity / stream;
        double chi2 = 0;
        for (long observed : buckets) {
            chi2 += (observed - expected) * (observed - expected) / expected;
        }
        assertEquals(runs * capacity, Arrays.stream(buckets).sum());
        assertTrue(chi2 < 148.23, "chi-square " + chi2 + " exceeds the p=0.001 critical value 148.23 for 99 df");
    }

    @Test
    void shouldKeepCapacityLimitedClassesWithinOneUnderClassBalanced() {
        // Skewed, class-incremental stream: tasks of 2 classes each, within a task class 2t is 9x as frequent as
        // class 2t+1.
        int capacity = 40;
        ReplayBuffer buffer = ReplayBuffer.create(config(capacity, ReplayPolicy.CLASS_BALANCED, 7));
        SplittableRandom rng = new SplittableRandom(3);
        Map<Integer, Integer> offered = new HashMap<>();
        int id = 0;
        for (int task = 0; task < 4; task++) {
            for (int k = 0; k < 300; k++) {
                int label = 2 * task + (rng.nextInt(10) == 0 ? 1 : 0);
                buffer.offer(sample(id++, label));
                offered.merge(label, 1, Integer::sum);
                Map<Integer, Integer> counts = buffer.countsByClass();
                int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                for (Map.Entry<Integer, Integer> e : offered.entrySet()) {
                    int stored = counts.getOrDefault(e.getKey(), 0);
                    assertTrue(stored >= max - 1 || stored == e.getValue(), "after offer " + id + " class "
                            + e.getKey() + " has " + stored + " stored of " + e.getValue() + " offered, max " + max
                            + ": " + counts);
                }
                assertEquals(Math.min(id, capacity), buffer.size());
            }
        }
        // Every class was offered at least capacity / 8 = 5 samples, so all are capacity-limited: 40 / 8 = 5 each.
        assertTrue(offered.values().stream().allMatch(n -> n >= capacity / 8), offered.toString());
        assertEquals(Map.of(0, 5, 1, 5, 2, 5, 3, 5, 4, 5, 5, 5, 6, 5, 7, 5), buffer.countsByClass());
    }

    @ParameterizedTest
    @EnumSource(ReplayPolicy.class)
    void shouldStayWithinCapacityWithoutReallocatingSlots(ReplayPolicy policy) {
        int capacity = 64;
        ReplayBuffer buffer = ReplayBuffer.create(config(capacity, policy, 11));
        Set<float[]> slotArrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 10 * capacity; i++) {
            buffer.offer(sample(i, i % 5));
            assertTrue(buffer.size() <= capacity, "size " + buffer.size() + " after " + (i + 1) + " offers");
            if (i == capacity - 1) {
                for (int s = 0; s < capacity; s++) {
                    slotArrays.add(buffer.slotPixels(s));
                }
            }
        }
        assertEquals(capacity, buffer.size());
        assertEquals(10L * capacity, buffer.seen());
        assertEquals(capacity, buffer.allocatedSlots());
        for (int s = 0; s < capacity; s++) {
            assertTrue(slotArrays.contains(buffer.slotPixels(s)), "slot " + s + " was reallocated");
        }
    }

    @ParameterizedTest
    @EnumSource(ReplayPolicy.class)
    void shouldRestoreExactlyAndBehaveIdenticallyAfterwards(ReplayPolicy policy) throws IOException {
        ReplayBuffer original = ReplayBuffer.create(config(30, policy, 5));
        original.onTaskStart("run-1", 0);
        for (int i = 0; i < 200; i++) {
            original.offer(sample(i, i % 7 == 0 ? 3 : i % 3));
        }
        byte[] saved = bytes(original);
        ReplayBuffer restored = restore(saved);

        assertEquals(original.config(), restored.config());
        assertEquals(original.seen(), restored.seen());
        assertEquals(original.currentTask(), restored.currentTask());
        assertEquals(original.countsByClass(), restored.countsByClass());
        assertEquals(original.exemplars(), restored.exemplars());
        assertArrayEquals(saved, bytes(restored));

        for (int i = 200; i < 600; i++) {
            ReplaySample next = sample(i, i % 4);
            assertEquals(original.offer(next), restored.offer(next), "offer " + i);
        }
        assertArrayEquals(bytes(original), bytes(restored));
        assertEquals(original.sample(10, new SplittableRandom(1)), restored.sample(10, new SplittableRandom(1)));
    }

    @Test
    void shouldDropInvalidStoredSampleWhenDrawnAndCountIt() {
        ReplayBuffer buffer = ReplayBuffer.create(config(10, ReplayPolicy.RESERVOIR, 1));
        for (int i = 0; i < 5; i++) {
            buffer.offer(sample(i, 0));
        }
        buffer.offer(new ReplaySample("bad", 1, 0, new Image(1, 2, 2, new float[] {0f, Float.NaN, 0f, 0f})));
        assertEquals(6, buffer.size());

        List<ReplaySample> drawn = buffer.sample(6, new SplittableRandom(2));

        assertEquals(5, drawn.size());
        assertTrue(drawn.stream().noneMatch(s -> s.sampleId().equals("bad")));
        assertEquals(5, buffer.size());
        assertEquals(1, buffer.droppedInvalid());
        assertEquals(Map.of(0, 5), buffer.countsByClass());
    }

    @Test
    void shouldDropInvalidSampleOnRestoreAndCountIt() throws IOException {
        ReplayBuffer buffer = ReplayBuffer.create(config(10, ReplayPolicy.RESERVOIR, 1));
        buffer.offer(sample(0, 0));
        buffer.offer(new ReplaySample("inf", 1, 0, new Image(1, 2, 2, new float[] {0f, 0f, Float.POSITIVE_INFINITY,
                0f})));
        buffer.offer(sample(2, 2));

        ReplayBuffer restored = restore(bytes(buffer));

        assertEquals(2, restored.size());
        assertEquals(1, restored.droppedInvalid());
        assertEquals(List.of("s0", "s2"), restored.exemplars().stream().map(ReplaySample::sampleId).toList());
    }

    @Test
    void shouldDropRestoredSlotWhosePixelCountDoesNotMatchItsShape() throws IOException {
        ReplayBuffer buffer = ReplayBuffer.create(config(10, ReplayPolicy.RESERVOIR, 1));
        buffer.offer(sample(1, 0));
        byte[] file = bytes(buffer);
        // Slot 0 is the only slot: its shape (3 x i32) sits right before count, data (4 x f32) and the end marker.
        int countOffset = file.length - 4 - 4 * 4 - 4;
        int heightOffset = countOffset - 8;
        file[heightOffset + 3] = 3;

        ReplayBuffer restored = restore(file);

        assertEquals(0, restored.size());
        assertEquals(1, restored.droppedInvalid());
    }

    @Test
    void shouldRejectFileWithWrongMagicOrTruncation() throws IOException {
        ReplayBuffer buffer = ReplayBuffer.create(config(10, ReplayPolicy.RESERVOIR, 1));
        buffer.offer(sample(1, 0));
        byte[] file = bytes(buffer);
        byte[] wrongMagic = file.clone();
        wrongMagic[0] = 'X';

        ReplayFormatException magic = assertThrows(ReplayFormatException.class, () -> restore(wrongMagic));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());
        ReplayFormatException truncated = assertThrows(ReplayFormatException.class,
                () -> restore(Arrays.copyOf(file, file.length - 6)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void shouldRejectOutOfOrderTaskOrUnknownRunAndLeaveBufferUnchanged() throws IOException {
        ReplayBuffer buffer = ReplayBuffer.create(config(10, ReplayPolicy.CLASS_BALANCED, 1));
        assertEquals(new TaskStart.Started(0), buffer.onTaskStart("run-1", 0));
        buffer.offer(sample(0, 0));
        assertEquals(new TaskStart.Started(1), buffer.onTaskStart("run-1", 1));
        buffer.offer(sample(1, 2));
        byte[] before = bytes(buffer);

        TaskStart skipped = buffer.onTaskStart("run-1", 3);
        TaskStart backwards = buffer.onTaskStart("run-1", 0);
        TaskStart otherRun = buffer.onTaskStart("run-2", 2);

        assertEquals(TaskStart.Reason.OUT_OF_ORDER, assertInstanceOf(TaskStart.Rejected.class, skipped).reason());
        assertTrue(((TaskStart.Rejected) skipped).message().contains("expected 2"));
        assertEquals(TaskStart.Reason.OUT_OF_ORDER, assertInstanceOf(TaskStart.Rejected.class, backwards).reason());
        assertEquals(TaskStart.Reason.UNKNOWN_RUN, assertInstanceOf(TaskStart.Rejected.class, otherRun).reason());
        assertEquals(1, buffer.currentTask());
        assertArrayEquals(before, bytes(buffer));
        assertEquals(new TaskStart.Duplicate(1), buffer.onTaskStart("run-1", 1));
        assertArrayEquals(before, bytes(buffer));
    }

    @Test
    void shouldDrawDistinctSamplesAndAtMostSize() {
        ReplayBuffer buffer = ReplayBuffer.create(config(20, ReplayPolicy.RESERVOIR, 1));
        for (int i = 0; i < 15; i++) {
            buffer.offer(sample(i, 0));
        }
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 50; trial++) {
            List<ReplaySample> drawn = buffer.sample(8, rng);
            assertEquals(8, new HashSet<>(drawn.stream().map(ReplaySample::sampleId).toList()).size());
        }
        assertEquals(15, buffer.sample(40, rng).size());
        assertEquals(0, buffer.sample(0, rng).size());
    }

    @Test
    void shouldRejectSampleOfAnotherShape() {
        ReplayBuffer buffer = ReplayBuffer.create(config(20, ReplayPolicy.RESERVOIR, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> buffer.offer(new ReplaySample("big", 0, 0, new Image(1, 3, 3, new float[9]))));
        assertTrue(e.getMessage().contains("big"), e.getMessage());
        assertEquals(0, buffer.seen());
    }

    @Test
    void shouldRoundTripThroughReplayEntries() {
        ReplayBuffer buffer = ReplayBuffer.create(config(8, ReplayPolicy.CLASS_BALANCED, 4));
        for (int i = 0; i < 40; i++) {
            buffer.offer(sample(i, i % 3));
        }
        EventCodec<ReplayEntry> codec = EventCodec.of(ReplayEntry.class);
        List<ReplayEntry> entries = new ArrayList<>();
        for (ReplayEntry e : buffer.toReplayEntries()) {
            entries.add(codec.decode(codec.encode(e)));
        }
        assertEquals(8, entries.size());
        // A stale older version of slot 0 and another run's entry must not win / count.
        ReplayEntry stale = ReplayEntry.newBuilder(entries.get(0)).setSampleId("old").setSeen(1).build();
        ReplayEntry foreign = ReplayEntry.newBuilder(entries.get(1)).setRunId("run-9").setSlot(0).setSeen(999)
                .build();
        entries.add(0, stale);
        entries.add(foreign);

        ReplayBuffer rebuilt = ReplayBuffer.fromReplayEntries(buffer.config(), entries);

        assertEquals(buffer.exemplars(), rebuilt.exemplars());
        assertEquals(buffer.countsByClass(), rebuilt.countsByClass());
        assertEquals(0, rebuilt.droppedInvalid());
        assertTrue(rebuilt.seen() <= buffer.seen() && rebuilt.seen() >= rebuilt.size());
        assertSame(ReplayPolicy.CLASS_BALANCED, rebuilt.config().policy());
    }

    @Test
    void shouldRoundTripThroughHashedCheckpointBlob(@TempDir Path dir) throws IOException {
        ReplayBuffer buffer = ReplayBuffer.create(config(12, ReplayPolicy.RESERVOIR, 8));
        for (int i = 0; i < 50; i++) {
            buffer.offer(sample(i, i % 3));
        }
        StoredCheckpoint stored = CheckpointFiles.writeBlob(dir, "replay", buffer::writeTo);

        CheckpointFiles.Read read = CheckpointFiles.read(stored);

        byte[] bytes = assertInstanceOf(CheckpointFiles.Read.Ok.class, read).bytes();
        assertArrayEquals(bytes(buffer), bytes);
        assertEquals(buffer.exemplars(), restore(bytes).exemplars());
    }
}
