package io.contrastream.eval.metrics.internal;

/**
 * Streams the cosine-similarity matrix {@code queries x gallery} row by row without materialising it: queries are
 * processed in blocks, the gallery is transposed once (dimension-major) so the inner loop is a contiguous
 * multiply-add that the JIT vectorises, and gallery column blocks are sized to stay in cache while a query block
 * reuses them.
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
    private static final int COLUMN_BLOCK = 512;

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
        float[] g = gallery.data();
        float[] gt = new float[d * n];
        for (int j = 0; j < n; j++) {
            int off = j * d;
            for (int k = 0; k < d; k++) {
                gt[k * n + j] = g[off + k];
            }
        }
        float[] q = queries.data();
        float[] out = new float[QUERY_BLOCK * n];
        for (int q0 = 0; q0 < queries.rows(); q0 += QUERY_BLOCK) {
            int qb = Math.min(QUERY_BLOCK, queries.rows() - q0);
            java.util.Arrays.fill(out, 0, qb * n, 0f);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int jb = Math.min(COLUMN_BLOCK, n - j0);
                for (int ii = 0; ii < qb; ii++) {
                    int qOff = (q0 + ii) * d;
                    int oOff = ii * n + j0;
                    for (int k = 0; k < d; k++) {
                        float qk = q[qOff + k];
                        if (qk == 0f) {
                            continue;
                        }
                        int gOff = k * n + j0;
                        for (int j = 0; j < jb; j++) {
                            out[oOff + j] += qk * gt[gOff + j];
                        }
                    }
                }
            }
            for (int ii = 0; ii < qb; ii++) {
                consumer.accept(q0 + ii, out, ii * n, n);
            }
        }
    }
}
