package io.contrastream.data.schedule;

import io.contrastream.data.internal.Mix64;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The sample indices one producer instance streams for one task: the task's samples whose dataset index
 * {@code i} satisfies {@code i % numInstances == instance} (so instances are disjoint and together cover the task),
 * for {@code epochs} epochs, each epoch in its own seeded shuffled order.
 *
 * <p>The order of epoch {@code e} is a Fisher-Yates shuffle of the shard (ascending) driven by
 * {@code new SplittableRandom(mix(mix(mix(seed) ^ taskId) ^ epoch))} with {@code mix} the SplitMix64 finalizer
 * of {@link io.contrastream.data.augment.ViewSeeds}; it does not depend on {@code numInstances} beyond the shard
 * membership.
 *
 * @param index        per-class index of the dataset
 * @param task         the task
 * @param epochs       number of epochs (>= 1)
 * @param instance     this instance, in [0, numInstances)
 * @param numInstances number of producer instances (>= 1)
 * @param seed         shuffle seed
 */
public record TaskStream(ClassIndex index, Task task, int epochs, int instance, int numInstances, long seed)
        implements Iterable<TaskStream.Draw> {

    /** Validates. */
    public TaskStream {
        if (index == null || task == null) {
            throw new IllegalArgumentException("TaskStream index and task are required");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("TaskStream epochs must be >= 1, got " + epochs);
        }
        if (numInstances < 1 || instance < 0 || instance >= numInstances) {
            throw new IllegalArgumentException("TaskStream instance must be in [0, numInstances), got instance "
                    + instance + " of " + numInstances);
        }
    }

    /**
     * One sample draw.
     *
     * @param epoch       epoch, 0-based
     * @param position    position within the epoch, 0-based
     * @param sampleIndex dataset index of the sample
     */
    public record Draw(int epoch, int position, int sampleIndex) {
    }

    /** This instance's share of the task, ascending. */
    public int[] shard() {
        int[] all = index.indices(task);
        int n = 0;
        for (int i : all) {
            if (i % numInstances == instance) {
                n++;
            }
        }
        int[] out = new int[n];
        int pos = 0;
        for (int i : all) {
            if (i % numInstances == instance) {
                out[pos++] = i;
            }
        }
        return out;
    }

    /** Samples per epoch for this instance. */
    public int samplesPerEpoch() {
        return shard().length;
    }

    /** The shuffled order of epoch {@code epoch}. */
    public int[] epochOrder(int epoch) {
        return shuffle(shard(), epoch);
    }

    private int[] shuffle(int[] a, int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("Epoch " + epoch + " outside [0, " + epochs + ")");
        }
        SplittableRandom rng = new SplittableRandom(Mix64.mix(Mix64.mix(Mix64.mix(seed) ^ task.id()) ^ epoch));
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Iterates over all epochs in order. */
    @Override
    public Iterator<Draw> iterator() {
        int[] shard = shard();
        return new Iterator<>() {
            private int epoch = 0;
            private int pos = 0;
            private int[] order = shard.length == 0 ? shard : shuffle(shard.clone(), 0);

            @Override
            public boolean hasNext() {
                return shard.length > 0 && epoch < epochs;
            }

            @Override
            public Draw next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("TaskStream for task " + task.id() + " is exhausted");
                }
                Draw d = new Draw(epoch, pos, order[pos]);
                pos++;
                if (pos == order.length) {
                    pos = 0;
                    epoch++;
                    if (epoch < epochs) {
                        order = shuffle(shard.clone(), epoch);
                    }
                }
                return d;
            }
        };
    }
}
