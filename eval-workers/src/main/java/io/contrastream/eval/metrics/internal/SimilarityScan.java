package io.contrastream.eval.metrics.internal;

import java.util.Arrays;

/**
 * Streams the cosine-similarity matrix {@code queries x gallery} row by row without materialising it. The gallery
 * is copied once into column blocks stored dimension-major, one {@code float[]} per (block, dimension), so the inner
 * loop is an element-wise multiply-add over arrays indexed from 0, which C2's auto-vectoriser turns into SIMD code
 * (an invariant offset inside the index defeats it on JDK 17). Two query rows share each gallery load and four
 * dimensions are folded per pass, so the accumulator is loaded and stored once per eight multiply-adds. A block of
 * 1,024 columns x 128 dimensions (512 KiB) stays in L2 while a block of 32 queries reuses it.
 */
public final class SimilarityScan {

    /** Receives one full similarity row; the array is reused after the call returns. */
    @FunctionalInterface
    public interface RowConsumer {
        /**
         * @param query  query index
         * @param sims   buffer holding the row
         * @param offset index in {@code sims} of gallery item 0
         * @param length number of gallery items
         */
        void accept(int query, float[] sims, int offset, int length);
    }

    private static final int QUERY_BLOCK = 32;
    private static final int COLUMN_BLOCK = 1024;

    private SimilarityScan() {
    }

    /** Computes every row of {@code queries . gallery^T} and hands it to {@code consumer} in query order. */
    public static void scan(UnitRows queries, UnitRows gallery, RowConsumer consumer) {
        if (queries.dim() != gallery.dim()) {
            throw new IllegalArgumentException("query dimension " + queries.dim() + " != gallery dimension "
                    + gallery.dim() + "; embed both sets with the same encoder");
        }
        int d = queries.dim();
        int n = gallery.rows();
        float[][][] blocks = transposeBlocks(gallery);
        float[] q = queries.data();
        float[] out = new float[QUERY_BLOCK * n];
        float[] acc0 = new float[COLUMN_BLOCK];
        float[] acc1 = new float[COLUMN_BLOCK];
        for (int q0 = 0; q0 < queries.rows(); q0 += QUERY_BLOCK) {
            int qb = Math.min(QUERY_BLOCK, queries.rows() - q0);
            for (int b = 0; b < blocks.length; b++) {
                float[][] gb = blocks[b];
                int j0 = b * COLUMN_BLOCK;
                int jb = gb[0].length;
                for (int ii = 0; ii < qb; ii += 2) {
                    int aOff = (q0 + ii) * d;
                    boolean pair = ii + 1 < qb;
                    int bOff = pair ? aOff + d : aOff;
                    kernel(q, aOff, bOff, d, gb, jb, acc0, acc1);
                    System.arraycopy(acc0, 0, out, ii * n + j0, jb);
                    if (pair) {
                        System.arraycopy(acc1, 0, out, (ii + 1) * n + j0, jb);
                    }
                }
            }
            for (int ii = 0; ii < qb; ii++) {
                consumer.accept(q0 + ii, out, ii * n, n);
            }
        }
    }

    /**
     * acc0[j] = q[aOff..aOff+d) . column j, acc1[j] likewise for bOff, for the jb columns of one block. A separate
     * small method so it is compiled on its own (hot by invocation count) rather than only as an OSR loop.
     */
    private static void kernel(float[] q, int aOff, int bOff, int d, float[][] gb, int jb, float[] acc0,
                               float[] acc1) {
        Arrays.fill(acc0, 0, jb, 0f);
        Arrays.fill(acc1, 0, jb, 0f);
        int k = 0;
        for (; k + 4 <= d; k += 4) {
            float a0 = q[aOff + k];
            float a1 = q[aOff + k + 1];
            float a2 = q[aOff + k + 2];
            float a3 = q[aOff + k + 3];
            float b0 = q[bOff + k];
            float b1 = q[bOff + k + 1];
            float b2 = q[bOff + k + 2];
            float b3 = q[bOff + k + 3];
            float[] x0 = gb[k];
            float[] x1 = gb[k + 1];
            float[] x2 = gb[k + 2];
            float[] x3 = gb[k + 3];
            for (int j = 0; j < jb; j++) {
                float y0 = x0[j];
                float y1 = x1[j];
                float y2 = x2[j];
                float y3 = x3[j];
                acc0[j] += a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
                acc1[j] += b0 * y0 + b1 * y1 + b2 * y2 + b3 * y3;
            }
        }
        for (; k < d; k++) {
            float a = q[aOff + k];
            float c = q[bOff + k];
            float[] x = gb[k];
            for (int j = 0; j < jb; j++) {
                acc0[j] += a * x[j];
                acc1[j] += c * x[j];
            }
        }
    }

    private static float[][][] transposeBlocks(UnitRows gallery) {
        int d = gallery.dim();
        int n = gallery.rows();
        float[] g = gallery.data();
        int count = Math.max(1, (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK);
        float[][][] blocks = new float[count][d][];
        for (int b = 0; b < count; b++) {
            int j0 = b * COLUMN_BLOCK;
            int jb = Math.min(COLUMN_BLOCK, n - j0);
            for (int k = 0; k < d; k++) {
                float[] col = new float[jb];
                for (int j = 0; j < jb; j++) {
                    col[j] = g[(j0 + j) * d + k];
                }
                blocks[b][k] = col;
            }
        }
        return blocks;
    }
}
