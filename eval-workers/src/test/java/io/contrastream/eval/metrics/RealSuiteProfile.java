package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.SimilarityScan;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Profiles the fast suite's shared pass on embeddings dumped from a real checkpoint: a file of (rows, dim, floats)
 * for the train then the test embeddings, then (count, ints) for the train then the test labels, big-endian as
 * {@code DataOutputStream} writes them. Not a test: run by hand, prints only. Args: file, rounds, mode (suite: the
 * fast suite through {@link SuiteRunner}; parts: each family on its own; scan: the two similarity scans only;
 * rank: {@code RowRanks} on 640 stored rows; all: suite and parts). Times are wall and thread CPU.
 */
public final class RealSuiteProfile {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private RealSuiteProfile() {
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        float[][] train;
        float[][] test;
        int[] trainY;
        int[] testY;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(args[0])))) {
            train = matrix(in);
            test = matrix(in);
            trainY = labels(in);
            testY = labels(in);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String mode = args.length > 2 ? args[2] : "all";
        SuiteRunner.Input input = SuiteRunner.Input.of(train, trainY, test, testY, "test");
        MetricSuite fast = MetricSuite.fast();
        UnitRows x = UnitRows.of(test, "t");
        UnitRows m = UnitRows.of(train, "m");
        int[] dense = DenseLabels.of(testY).indexAll(testY);
        for (int r = 0; r < rounds; r++) {
            if (mode.equals("all") || mode.equals("suite")) {
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                List<MetricValue> values = new SuiteRunner(fast).run(input, (s, d, t) -> { });
                System.out.printf("round %d suite %.3f s cpu %.3f s%n", r, (System.nanoTime() - t0) / 1e9,
                        (CPU.getCurrentThreadCpuTime() - c0) / 1e9);
                if (r == rounds - 1) {
                    for (MetricValue v : values) {
                        System.out.printf("    %s %s = %s%n", v.name(), v.labels(), Double.toString(v.value()));
                    }
                }
            }
            if (mode.equals("sample")) {
                int size = Integer.getInteger("profile.sample", 2000);
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                double[][] est = sampledSuite(x, m, dense, testY, trainY, size, r);
                long t1 = System.nanoTime();
                long c1 = CPU.getCurrentThreadCpuTime();
                PairAuc.Pooled pooled = new PairAuc().pooled(test, testY);
                long t2 = System.nanoTime();
                System.out.printf("round %d sample %d (seed %d): retrieval+auc+knn wall %.3f s cpu %.3f s; sampled pooled"
                        + " AUC (4M pairs, as now) wall %.3f s cpu %.3f s%n", r, size, r, (t1 - t0) / 1e9,
                        (c1 - c0) / 1e9, (t2 - t1) / 1e9, (CPU.getCurrentThreadCpuTime() - c1) / 1e9);
                String[] names = {"recall@1", "recall@5", "recall@10", "mrr@10", "map@r", "auc-per-query",
                        "knn-accuracy"};
                for (int i = 0; i < names.length; i++) {
                    System.out.printf("    %-14s sample mean %.5f  standard error %.5f%n", names[i], est[0][i],
                            est[1][i]);
                }
            }
            if (mode.equals("rank")) {
                int rowsN = 640;
                float[] rowsBuf = new float[rowsN * x.rows()];
                SimilarityScan.scanBlocks(new UnitRows(java.util.Arrays.copyOf(x.data(), rowsN * x.dim()), rowsN,
                        x.dim()), new UnitRows[] {x}, 1, () -> (q0, qb, rows) -> System.arraycopy(rows[0], 0,
                        rowsBuf, q0 * x.rows(), qb * x.rows()));
                io.contrastream.eval.metrics.internal.RowRanks rk = new io.contrastream.eval.metrics.internal.RowRanks();
                long c0 = CPU.getCurrentThreadCpuTime();
                double chk = 0;
                for (int rep = 0; rep < 5; rep++) {
                    for (int q = 0; q < rowsN; q++) {
                        rk.rank(rowsBuf, q * x.rows(), x.rows(), q, dense, dense[q]);
                        chk += rk.mannWhitneyU() + rk.precisionSumAtR() + rk.firstRank();
                    }
                }
                System.out.printf("round %d rank: %.1f us per row (cpu) chk %s%n", r,
                        (CPU.getCurrentThreadCpuTime() - c0) / 1e3 / (5.0 * rowsN), Double.toString(chk));
            }
            if (mode.equals("scan")) {
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                SimilarityScan.scanBlocks(x, new UnitRows[] {x, m}, 1, () -> (q0, qb, rows) -> { });
                System.out.printf("round %d 2 scans %.3f s cpu %.3f s%n", r, (System.nanoTime() - t0) / 1e9,
                        (CPU.getCurrentThreadCpuTime() - c0) / 1e9);
            }
            if (mode.equals("all") || mode.equals("parts")) {
                long t0 = System.nanoTime();
                SimilarityScan.scanBlocks(x, new UnitRows[] {x, m}, 1, () -> (q0, qb, rows) -> { });
                long t1 = System.nanoTime();
                RetrievalMetrics.Rows rr = new RetrievalMetrics().rows(testY, testY, true);
                SimilarityScan.scan(x, x, rr.scorer());
                long t2 = System.nanoTime();
                PairAuc.PerQueryRows pq = new PairAuc().perQueryRows(dense);
                SimilarityScan.scan(x, x, pq.scorer());
                long t3 = System.nanoTime();
                WeightedKnn.Rows kr = new WeightedKnn().rows(trainY, testY);
                SimilarityScan.scan(x, m, kr.scorer());
                long t4 = System.nanoTime();
                PairAuc.Pooled pooled = new PairAuc().pooled(test, testY);
                long t5 = System.nanoTime();
                double scan1 = (t1 - t0) / 2e9;
                System.out.printf("round %d parts: 2 scans %.3f | retrieval %.3f | perQueryAuc %.3f | knn %.3f |"
                                + " sampled pooled %.3f (scorer = minus one scan %.3f)%n", r, (t1 - t0) / 1e9,
                        (t2 - t1) / 1e9 - scan1, (t3 - t2) / 1e9 - scan1, (t4 - t3) / 1e9 - scan1,
                        (t5 - t4) / 1e9, scan1);
                if (r == rounds - 1) {
                    System.out.println("    " + rr.result() + " " + pq.result() + " " + kr.result().accuracy() + " "
                            + pooled);
                }
            }
        }
    }

    /**
     * The fast suite's per-query families on a seeded sample of {@code size} test queries (without replacement)
     * against the full test gallery and the full kNN memory: per-metric sample means and standard errors (with the
     * finite-population correction), {@code {means, errors}}.
     */
    static double[][] sampledSuite(UnitRows test, UnitRows memory, int[] dense, int[] testY, int[] trainY, int size,
                                   long seed) {
        int n = test.rows();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] idx = java.util.Arrays.copyOf(perm, size);
        java.util.Arrays.sort(idx);
        int d = test.dim();
        float[] sub = new float[size * d];
        int[] subY = new int[size];
        for (int i = 0; i < size; i++) {
            System.arraycopy(test.data(), idx[i] * d, sub, i * d, d);
            subY[i] = testY[idx[i]];
        }
        double[][] per = new double[7][size];
        WeightedKnn.Rows knn = new WeightedKnn().rows(trainY, subY);
        int nt = test.rows();
        int nm = memory.rows();
        SimilarityScan.scanBlocks(new UnitRows(sub, size, d), new UnitRows[] {test, memory}, 1, () -> {
            io.contrastream.eval.metrics.internal.RowRanks ranks = new io.contrastream.eval.metrics.internal.RowRanks();
            SimilarityScan.RowConsumer knnScorer = knn.scorer();
            return (q0, qb, rows) -> {
                for (int i = 0; i < qb; i++) {
                    int q = q0 + i;
                    int orig = idx[q];
                    ranks.rank(rows[0], i * nt, nt, orig, dense, dense[orig]);
                    int first = ranks.firstRank();
                    per[0][q] = first == 1 ? 1 : 0;
                    per[1][q] = first >= 1 && first <= 5 ? 1 : 0;
                    per[2][q] = first >= 1 && first <= 10 ? 1 : 0;
                    per[3][q] = first >= 1 && first <= 10 ? 1.0 / first : 0;
                    per[4][q] = ranks.precisionSumAtR() / ranks.positives();
                    per[5][q] = ranks.mannWhitneyU() / ((double) ranks.positives() * ranks.negatives());
                    knnScorer.accept(q, rows[1], i * nm, nm);
                }
            };
        });
        WeightedKnn.Result kr = knn.result();
        for (int q = 0; q < size; q++) {
            per[6][q] = kr.predictions()[q] == subY[q] ? 1 : 0;
        }
        double[][] out = new double[2][7];
        double fpc = Math.sqrt((double) (n - size) / (n - 1));
        for (int k = 0; k < 7; k++) {
            double mean = 0;
            for (double v : per[k]) {
                mean += v;
            }
            mean /= size;
            double ss = 0;
            for (double v : per[k]) {
                ss += (v - mean) * (v - mean);
            }
            out[0][k] = mean;
            out[1][k] = Math.sqrt(ss / (size - 1) / size) * fpc;
        }
        return out;
    }

    private static float[][] matrix(DataInputStream in) throws IOException {
        int n = in.readInt();
        int d = in.readInt();
        float[][] a = new float[n][d];
        for (float[] row : a) {
            for (int k = 0; k < d; k++) {
                row[k] = in.readFloat();
            }
        }
        return a;
    }

    private static int[] labels(DataInputStream in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }
}
