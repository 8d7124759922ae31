package io.contrastream.data.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.ArrayDataset;
import io.contrastream.data.DatasetCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskStreamTest {

    /** 103 1x1 images with label (i * 7) % 10. */
    private static final ArrayDataset DS;

    static {
        byte[] labels = new byte[103];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) ((i * 7) % 10);
        }
        DS = new ArrayDataset("toy", "train", DatasetCatalog.MNIST_CLASSES, 1, 1, 1, new byte[103], labels);
    }

    private static final ClassIndex INDEX = ClassIndex.of(DS);

    @Test
    void shouldIndexEveryClassAscending() {
        int total = 0;
        for (int c = 0; c < 10; c++) {
            int[] idx = INDEX.indices(c);
            total += idx.length;
            for (int k = 0; k < idx.length; k++) {
                assertEquals(c, DS.label(idx[k]));
                assertTrue(k == 0 || idx[k - 1] < idx[k]);
            }
        }
        assertEquals(103, total);
    }

    @Test
    void shouldStreamOnlyTheTaskClasses() {
        Task task = TaskSchedule.split(10, 5).task(2);
        for (TaskStream.Draw d : new TaskStream(INDEX, task, 2, 0, 1, 1L)) {
            assertTrue(task.contains(DS.label(d.sampleIndex())), "sample " + d.sampleIndex());
        }
    }

    @Test
    void shouldMakeShardsDisjointAndComplete() {
        Task task = TaskSchedule.parse("1,4,7", 10).task(0);
        int[] all = INDEX.indices(task);
        Set<Integer> union = new HashSet<>();
        int sum = 0;
        for (int inst = 0; inst < 3; inst++) {
            int[] shard = new TaskStream(INDEX, task, 1, inst, 3, 5L).shard();
            sum += shard.length;
            for (int i : shard) {
                assertEquals(inst, i % 3);
                assertTrue(union.add(i), "sample " + i + " in two shards");
            }
        }
        assertEquals(all.length, sum);
        assertEquals(Arrays.stream(all).boxed().collect(java.util.stream.Collectors.toSet()), union);
    }

    @Test
    void shouldVisitEachShardSampleOncePerEpochInSeededOrder() {
        Task task = TaskSchedule.split(10, 5).task(0);
        TaskStream s = new TaskStream(INDEX, task, 3, 1, 2, 9L);
        int[] shard = s.shard();
        List<List<Integer>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            epochs.add(new ArrayList<>());
        }
        int count = 0;
        for (TaskStream.Draw d : s) {
            assertEquals(epochs.get(d.epoch()).size(), d.position());
            epochs.get(d.epoch()).add(d.sampleIndex());
            count++;
        }
        assertEquals(3 * shard.length, count);
        for (int e = 0; e < 3; e++) {
            int[] order = epochs.get(e).stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(s.epochOrder(e), order);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(shard, sorted);
        }
        assertFalse(epochs.get(0).equals(epochs.get(1)), "epochs should be shuffled differently");
        assertArrayEquals(s.epochOrder(2), new TaskStream(INDEX, task, 3, 1, 2, 9L).epochOrder(2));
    }

    @Test
    void shouldRejectBadInstanceAndEpochs() {
        Task task = TaskSchedule.joint(10).task(0);
        assertThrows(IllegalArgumentException.class, () -> new TaskStream(INDEX, task, 1, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new TaskStream(INDEX, task, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TaskStream(INDEX, task, 1, 0, 1, 0).epochOrder(1));
    }
}
