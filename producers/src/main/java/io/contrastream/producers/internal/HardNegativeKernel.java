package io.contrastream.producers.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * The mining kernel, Kafka- and DJL-free: for every anchor of a pool, the {@code m} most similar pool samples with a
 * different label (ANCE: Xiong et al. 2021, "Approximate Nearest Neighbor Negative Contrastive Learning for Dense Text
 * Retrieval", ICLR; positives = same label, so the anchor itself is never a candidate).
 *
 * <p>Similarities come from a {@link SimilarityBlocks} one block of anchor rows at a time, so a pool of {@code n}
 * samples needs {@code blockRows * n} floats at once, never {@code n * n}. Candidates are sorted by similarity
 * descending, ties by pool index ascending, so the result is a pure function of the similarities. An anchor with
 * fewer than {@code m} samples of other labels in the pool gets all of them. Similarities must be finite.
 */
public final class HardNegativeKernel {

    private HardNegativeKernel() {
    }

    /** Row blocks of the pool's similarity matrix. */
    @FunctionalInterface
    public interface SimilarityBlocks {
        /**
         * Similarities of anchors {@code rowStart .. rowStart + rows - 1} to every pool sample, row-major:
         * element {@code r * n + j} is {@code sim(rowStart + r, j)}; at least {@code rows * n} long.
         */
        float[] block(int rowStart, int rows);
    }

    /** Called after each block of anchors. */
    @FunctionalInterface
    public interface Progress {
        void onAnchors(int done, int total);

        Progress NONE = (done, total) -> { };
    }

    /**
     * Candidates per anchor: {@code indices[a]} are pool indices, {@code similarities[a]} the matching values, both
     * sorted by similarity descending (ties: lower index first).
     */
    public record Mined(int[][] indices, float[][] similarities) {
    }

    /**
     * Mines every anchor of a pool of {@code labels.length} samples.
     *
     * @param labels    label of each pool sample
     * @param m         candidates per anchor (>= 1)
     * @param blockRows anchors per similarity block (>= 1)
     * @param sims      the similarity blocks
     * @param progress  progress callback
     */
    public static Mined mine(int[] labels, int m, int blockRows, SimilarityBlocks sims, Progress progress) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(sims, "sims");
        if (m < 1) {
            throw new IllegalArgumentException("negatives per anchor must be >= 1, got " + m);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        int n = labels.length;
        int[][] indices = new int[n][];
        float[][] similarities = new float[n][];
        int[] bestIndex = new int[m];
        float[] bestSim = new float[m];
        for (int r0 = 0; r0 < n; r0 += blockRows) {
            int rows = Math.min(blockRows, n - r0);
            float[] block = sims.block(r0, rows);
            if (block.length < rows * n) {
                throw new IllegalStateException("similarity block of rows " + r0 + ".." + (r0 + rows - 1) + " has "
                        + block.length + " values, expected " + rows * n);
            }
            for (int r = 0; r < rows; r++) {
                int anchor = r0 + r;
                int count = top(block, r * n, n, labels, anchor, m, bestIndex, bestSim);
                indices[anchor] = Arrays.copyOf(bestIndex, count);
                similarities[anchor] = Arrays.copyOf(bestSim, count);
            }
            progress.onAnchors(r0 + rows, n);
        }
        return new Mined(indices, similarities);
    }

    /** Plain-Java dot products of the given rows (unit rows give cosine similarities). */
    public static SimilarityBlocks dot(float[][] rows) {
        int n = rows.length;
        return (rowStart, count) -> {
            float[] out = new float[count * n];
            for (int r = 0; r < count; r++) {
                float[] a = rows[rowStart + r];
                for (int j = 0; j < n; j++) {
                    float[] b = rows[j];
                    float s = 0f;
                    for (int k = 0; k < a.length; k++) {
                        s += a[k] * b[k];
                    }
                    out[r * n + j] = s;
                }
            }
            return out;
        };
    }

    /** Insertion into a sorted top-m list; returns how many entries were filled. */
    private static int top(float[] block, int offset, int n, int[] labels, int anchor, int m, int[] bestIndex,
                           float[] bestSim) {
        int label = labels[anchor];
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (labels[j] == label || j == anchor) {
                continue;
            }
            float s = block[offset + j];
            if (count == m && !(s > bestSim[m - 1])) {
                // j is larger than every kept index, so an equal similarity loses the tie
                continue;
            }
            int pos = count == m ? m - 1 : count++;
            while (pos > 0 && s > bestSim[pos - 1]) {
                bestSim[pos] = bestSim[pos - 1];
                bestIndex[pos] = bestIndex[pos - 1];
                pos--;
            }
            bestSim[pos] = s;
            bestIndex[pos] = j;
        }
        return count;
    }
}
