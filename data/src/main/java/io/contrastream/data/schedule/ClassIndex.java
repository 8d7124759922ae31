package io.contrastream.data.schedule;

import io.contrastream.data.Dataset;
import java.util.Arrays;

/**
 * Per-class sample indices of a dataset, computed once (one pass over {@link Dataset#label(int)}), each in
 * ascending order. Immutable and thread-safe.
 */
public final class ClassIndex {

    private final int size;
    private final int[][] byClass;

    private ClassIndex(int size, int[][] byClass) {
        this.size = size;
        this.byClass = byClass;
    }

    /** Indexes {@code dataset}. */
    public static ClassIndex of(Dataset dataset) {
        int k = dataset.numClasses();
        int n = dataset.size();
        int[] labels = new int[n];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int l = dataset.label(i);
            if (l < 0 || l >= k) {
                throw new IllegalArgumentException(dataset.name() + "/" + dataset.split() + " label at index " + i
                        + " is " + l + ", outside [0, " + k + ")");
            }
            labels[i] = l;
            counts[l]++;
        }
        int[][] byClass = new int[k][];
        for (int c = 0; c < k; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < n; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return new ClassIndex(n, byClass);
    }

    /** Number of classes. */
    public int numClasses() {
        return byClass.length;
    }

    /** Dataset size. */
    public int datasetSize() {
        return size;
    }

    /** Number of samples of class {@code c}. */
    public int count(int c) {
        return byClass[c].length;
    }

    /** Indices of class {@code c}, ascending (a copy). */
    public int[] indices(int c) {
        return byClass[c].clone();
    }

    /** Indices of all classes of {@code task}, ascending. */
    public int[] indices(Task task) {
        int total = 0;
        for (int c : task.classes()) {
            checkClass(c, task);
            total += byClass[c].length;
        }
        int[] out = new int[total];
        int pos = 0;
        for (int c : task.classes()) {
            System.arraycopy(byClass[c], 0, out, pos, byClass[c].length);
            pos += byClass[c].length;
        }
        Arrays.sort(out);
        return out;
    }

    private void checkClass(int c, Task task) {
        if (c >= byClass.length) {
            throw new IllegalArgumentException("Task " + task.id() + " class " + c + " is outside the dataset's [0, "
                    + byClass.length + ")");
        }
    }
}
