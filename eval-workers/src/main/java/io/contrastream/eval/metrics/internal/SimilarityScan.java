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
 * 1,024 columns x 128 dimensions (512 KiB) stays in L2 while a block of 32 queries reuses it. (Four query rows, or
 * eight dimensions, per pass would load less, but the loop body then exceeds what C2 unrolls, and it is left
 * scalar: four to five times slower, measured on JDK 17.)
 *
 * <p>A gallery that is the query set itself (the same {@link UnitRows} instance) is scanned symmetrically: each
 * similarity off the diagonal blocks is computed once and mirrored (see {@code Mirror}), bit-identical to
 * computing it twice, when the mirrored tiles fit the memory budget ({@link #symmetricFits}).
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
    /** Most floats the mirrored tiles of a symmetric scan may hold at once (256 MB). */
    private static final long MIRROR_MAX_FLOATS = 64L << 20;

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
        int self = -1;
        for (int g = 0; g < galleries.length && self < 0; g++) {
            if (galleries[g] == queries && symmetricFits(queries.rows())) {
                self = g;
            }
        }
        Mirror mirror = self < 0 ? null : new Mirror(blockCount);
        int mirrored = self;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            BlockConsumer consumer = consumers.get();
            float[][] out = new float[galleries.length][];
            for (int g = 0; g < galleries.length; g++) {
                out[g] = new float[QUERY_BLOCK * galleries[g].rows()];
            }
            float[] acc0 = new float[COLUMN_BLOCK];
            float[] acc1 = new float[COLUMN_BLOCK];
            try {
                for (int blk = next.getAndIncrement(); blk < blockCount; blk = next.getAndIncrement()) {
                    int q0 = blk * QUERY_BLOCK;
                    int qb = Math.min(QUERY_BLOCK, queries.rows() - q0);
                    for (int g = 0; g < galleries.length; g++) {
                        int from = g == mirrored ? q0 : 0;
                        fill(queries, q0, qb, blocks[g], galleries[g].rows(), from, out[g], acc0, acc1);
                    }
                    if (mirror != null) {
                        mirror.publish(blk, qb, out[mirrored], queries.rows());
                        mirror.collect(blk, qb, out[mirrored], queries.rows());
                    }
                    consumer.accept(q0, qb, out);
                }
            } catch (RuntimeException | Error e) {
                if (mirror != null) {
                    mirror.fail();
                }
                throw e;
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

    /**
     * True when the mirrored tiles of a symmetric scan of n rows (at most about n^2 / 4 floats alive at once) fit
     * the budget: {@value #MIRROR_MAX_FLOATS} floats and an eighth of the maximum heap.
     */
    static boolean symmetricFits(long n) {
        long peak = n * n / 4 + (long) QUERY_BLOCK * QUERY_BLOCK * ((n + QUERY_BLOCK - 1) / QUERY_BLOCK);
        return peak <= MIRROR_MAX_FLOATS && peak * Float.BYTES <= Runtime.getRuntime().maxMemory() / 8;
    }

    /**
     * The lower-left part of a symmetric scan (queries against themselves). sim(i, j) and sim(j, i) are the same
     * float: the kernel forms the same products (float multiplication commutes exactly) and adds them in the same
     * order whichever of the two rows is the query. So block I computes only columns from its own first row on,
     * publishes each 32 x 32 tile it computed right of its diagonal block for the later block that owns those
     * rows, and takes the columns left of its diagonal block from the tiles earlier blocks published, transposed.
     * That halves the dot products; a tile lives from the block that computes it to the block that reads it, so at
     * most about n^2 / 4 floats are held (100 MB for 10,000 rows). Blocks may run on several threads: a block waits
     * until every earlier block has published (blocks are handed out in order, so the earliest unfinished block
     * never waits).
     */
    private static final class Mirror {
        private final float[][][] tiles;
        private final boolean[] published;
        /** Number of leading blocks that have all published; written under the lock. */
        private volatile int publishedPrefix;
        private final java.util.ArrayDeque<float[]> free = new java.util.ArrayDeque<>();
        private boolean failed;

        Mirror(int blockCount) {
            tiles = new float[blockCount][][];
            for (int b = 0; b < blockCount; b++) {
                tiles[b] = new float[b][];
            }
            published = new boolean[blockCount];
        }

        /** Stores, for every later block J, block I's similarities to J's rows (a 32 x 32 tile, row of I first). */
        void publish(int blockI, int qb, float[] rows, int n) {
            int blockCount = tiles.length;
            for (int blockJ = blockI + 1; blockJ < blockCount; blockJ++) {
                int j0 = blockJ * QUERY_BLOCK;
                int jb = Math.min(QUERY_BLOCK, n - j0);
                float[] tile = take();
                for (int ii = 0; ii < qb; ii++) {
                    System.arraycopy(rows, ii * n + j0, tile, ii * QUERY_BLOCK, jb);
                }
                tiles[blockJ][blockI] = tile;
            }
            synchronized (this) {
                published[blockI] = true;
                int prefix = publishedPrefix;
                while (prefix < published.length && published[prefix]) {
                    prefix++;
                }
                publishedPrefix = prefix;
                notifyAll();
            }
        }

        /** Fills block J's columns left of its diagonal block from the tiles earlier blocks published, transposed. */
        void collect(int blockJ, int jb, float[] rows, int n) {
            awaitPublishedBefore(blockJ);
            for (int blockI = 0; blockI < blockJ; blockI++) {
                float[] tile = tiles[blockJ][blockI];
                tiles[blockJ][blockI] = null;
                int i0 = blockI * QUERY_BLOCK;
                for (int i = 0; i < jb; i++) {
                    int to = i * n + i0;
                    for (int ii = 0; ii < QUERY_BLOCK; ii++) {
                        rows[to + ii] = tile[ii * QUERY_BLOCK + i];
                    }
                }
                release(tile);
            }
        }

        synchronized void fail() {
            failed = true;
            notifyAll();
        }

        /** Returns once blocks 0 .. block - 1 have all published (at once, without locking, when they have). */
        private void awaitPublishedBefore(int block) {
            if (publishedPrefix >= block) {
                return;
            }
            synchronized (this) {
                awaitLocked(block);
            }
        }

        private void awaitLocked(int block) {
            while (publishedPrefix < block) {
                if (failed) {
                    throw new IllegalStateException("similarity scan: another block of the symmetric scan failed");
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("similarity scan interrupted", e);
                }
            }
        }

        private synchronized float[] take() {
            float[] t = free.poll();
            return t != null ? t : new float[QUERY_BLOCK * QUERY_BLOCK];
        }

        private synchronized void release(float[] tile) {
            free.push(tile);
        }
    }

    /**
     * Writes rows q0 .. q0+qb of queries . gallery^T into out, row i at [i * n, (i + 1) * n), from gallery column
     * {@code from} on (the columns before it are left as they are).
     */
    private static void fill(UnitRows queries, int q0, int qb, float[][][] blocks, int n, int from, float[] out,
                             float[] acc0, float[] acc1) {
        int d = queries.dim();
        float[] q = queries.data();
        for (int b = from / COLUMN_BLOCK; b < blocks.length; b++) {
            float[][] gb = blocks[b];
            int j0 = b * COLUMN_BLOCK;
            int jb = gb.length == 0 ? 0 : gb[0].length;
            int js = Math.max(0, from - j0);
            for (int ii = 0; ii < qb; ii += 2) {
                int aOff = (q0 + ii) * d;
                boolean pair = ii + 1 < qb;
                int bOff = pair ? aOff + d : aOff;
                kernel(q, aOff, bOff, d, gb, js, jb, acc0, acc1);
                System.arraycopy(acc0, js, out, ii * n + j0 + js, jb - js);
                if (pair) {
                    System.arraycopy(acc1, js, out, (ii + 1) * n + j0 + js, jb - js);
                }
            }
        }
    }

    /**
     * acc0[j] = q[aOff..aOff+d) . column j, acc1[j] likewise for bOff, for columns js .. jb of one block. A separate
     * small method so it is compiled on its own (hot by invocation count) rather than only as an OSR loop.
     *
     * <p>The accumulators are zeroed by a plain loop, not {@code Arrays.fill}: inlined, {@code Arrays.fill} brings
     * the profile its other callers in the process gave it, and in the eval benchmark's JVM (DJL, data loading and
     * the trainer all call it with short ranges) C2 then compiled this method with the main loop left scalar: the
     * scan took 5.0-5.5 s of CPU instead of 1.1 s for the same data (compilation logs: the inner loop was never
     * unrolled or vectorised). The arithmetic is unchanged, so every similarity is bit-identical.
     */
    private static void kernel(float[] q, int aOff, int bOff, int d, float[][] gb, int js, int jb, float[] acc0,
                               float[] acc1) {
        for (int j = js; j < jb; j++) {
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
            for (int j = js; j < jb; j++) {
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
            for (int j = js; j < jb; j++) {
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
