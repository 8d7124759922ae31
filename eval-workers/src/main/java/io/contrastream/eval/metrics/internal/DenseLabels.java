package io.contrastream.eval.metrics.internal;

import java.util.Arrays;

/**
 * Maps arbitrary int class labels to dense indices 0..classes-1 in ascending label order, so per-class arrays can
 * be flat and ties broken towards the smaller label.
 */
public final class DenseLabels {

    private final int[] classes;

    private DenseLabels(int[] classes) {
        this.classes = classes;
    }

    /** Distinct labels of {@code labels}, sorted ascending. */
    public static DenseLabels of(int[] labels) {
        return new DenseLabels(Arrays.stream(labels).distinct().sorted().toArray());
    }

    /** Number of distinct classes. */
    public int size() {
        return classes.length;
    }

    /** Dense index of {@code label}, or -1 if unseen. */
    public int indexOf(int label) {
        int i = Arrays.binarySearch(classes, label);
        return i >= 0 ? i : -1;
    }

    /** The label at dense index {@code i}. */
    public int label(int i) {
        return classes[i];
    }

    /** Copy of the sorted distinct labels. */
    public int[] labels() {
        return classes.clone();
    }

    /** Dense index of every label in {@code labels}, -1 for unseen ones. */
    public int[] indexAll(int[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = indexOf(labels[i]);
        }
        return out;
    }

    /** Checks that {@code labels} has one entry per embedding row. */
    public static void requireSameLength(float[][] x, int[] labels, String what) {
        if (x.length != labels.length) {
            throw new IllegalArgumentException(what + ": " + x.length + " embeddings but " + labels.length
                    + " labels; pass exactly one label per row");
        }
    }
}
