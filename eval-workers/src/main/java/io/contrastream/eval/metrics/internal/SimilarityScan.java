package io.contrastream.eval.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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

    /**
     * Receives the similarity rows of one block of consecutive queries against every gallery of a
     * {@link #scanBlocks} call. The buffers are reused after the call returns.
     */
    @FunctionalInterface
    public interface BlockConsumer {
        /**
         * @param q0   index of the block's first query
         * @param qb   queries in the block
         * @param rows one buffer per gallery; query {@code q0 + i}'s row against gallery g is
         *             {@code rows[g][i * n_g .. (i + 1) * n_g)} with n_g that gallery's size
         */
        void accept(int q0, int qb, float[][] rows);
    }

    /** Number of consecutive queries computed together, and the granularity of {@link #scanBlocks}. */
    public static final int QUERY_BLOCK = 32;
    private static final int COLUMN_BLOCK = 1024;

    private SimilarityScan() {
    }

    /** Computes every row of {@code queries . gallery^T} and hands it to {@code consumer} in query order. */
    public static void scan(UnitRows queries, UnitRows gallery, RowConsumer consumer) {
        int n = gallery.rows();
        scanBlocks(queries, new UnitRows[] {gallery}, 1, () -> (q0, qb, rows) -> {
            for (int ii = 0; ii < qb; ii++) {
                consumer.accept(q0 + ii, rows[0], ii * n, n);
            }
        });
    }

    /**
     * Computes the rows of {@code queries . gallery^T} for every gallery, one block of {@link #QUERY_BLOCK}
     * queries at a time, so a consumer sees each query's rows against all galleries together. Blocks are spread
     * over {@code threads} threads (the caller's thread is one of them); each thread gets its own consumer from
     * {@code consumers}, and blocks reach a consumer in no particular order, so consumers should write per-query
     * results and reduce them afterwards. The similarity values do not depend on the thread count.
     */
    public static void scanBlocks(UnitRows queries, UnitRows[] galleries, int threads,
                                  Supplier<BlockConsumer> consumers) {
        int d = queries.dim();
        float[][][][] blocks = new float[galleries.length][][][];
        for (int g = 0; g < galleries.length; g++) {
            if (galleries[g].dim() != d) {
                throw new IllegalArgumentException("query dimension " + d + " != gallery dimension "
                        + galleries[g].dim() + "; embed both sets with the same encoder");
            }
            blocks[g] = transposeBlocks(galleries[g]);
        }
        int blockCount = (queries.rows() + QUERY_BLOCK - 1) / QUERY_BLOCK;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            BlockConsumer consumer = consumers.get();
            float[][] out = new float[galleries.length][];
            for (int g = 0; g < galleries.length; g++) {
                out[g] = new float[QUERY_BLOCK * galleries[g].rows()];
            }
            float[] acc0 = new float[COLUMN_BLOCK];
            float[] acc1 = new float[COLUMN_BLOCK];
            for (int blk = next.getAndIncrement(); blk < blockCount; blk = next.getAndIncrement()) {
                int q0 = blk * QUERY_BLOCK;
                int qb = Math.min(QUERY_BLOCK, queries.rows() - q0);
                for (int g = 0; g < galleries.length; g++) {
                    fill(queries, q0, qb, blocks[g], galleries[g].rows(), out[g], acc0, acc1);
                }
                consumer.accept(q0, qb, out);
            }
        };
        int extra = Math.max(0, Math.min(threads, blockCount) - 1);
        if (extra == 0) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(extra, r -> {
            Thread t = new Thread(r, "similarity-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < extra; t++) {
                futures.add(pool.submit(worker));
            }
            worker.run();
            for (Future<?> f : futures) {
                Futures.join(f, "similarity scan");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes rows q0 .. q0+qb of queries . gallery^T into out, row i at [i * n, (i + 1) * n). */
    private static void fill(UnitRows queries, int q0, int qb, float[][][] blocks, int n, float[] out,
                             float[] acc0, float[] acc1) {
        int d = queries.dim();
        float[] q = queries.data();
        for (int b = 0; b < blocks.length; b++) {
            float[][] gb = blocks[b];
            int j0 = b * COLUMN_BLOCK;
            int jb = gb.length == 0 ? 0 : gb[0].length;
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
    }

    /**
     * acc0[j] = q[aOff..aOff+d) . column j, acc1[j] likewise for bOff, for the jb columns of one block. A separate
     * small method so it is compiled on its own (hot by invocation count) rather than only as an OSR loop.
     *
     * <p>The accumulators are zeroed by a plain loop, not {@code Arrays.fill}: inlined, {@code Arrays.fill} brings
     * the profile its other callers in the process gave it, and in the eval benchmark's JVM (DJL, data loading and
     * the trainer all call it with short ranges) C2 then compiled this method with the main loop left scalar: the
     * scan took 5.0-5.5 s of CPU instead of 1.1 s for the same data (compilation logs: the inner loop was never
     * unrolled or vectorised). The arithmetic is unchanged, so every similarity is bit-identical.
     */
    private static void kernel(float[] q, int aOff, int bOff, int d, float[][] gb, int jb, float[] acc0,
                               float[] acc1) {
        for (int j = 0; j < jb; j++) {
            acc0[j] = 0f;
            acc1[j] = 0f;
        }
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
