package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import io.contrastream.eval.metrics.internal.UnitRows;
import java.util.Arrays;

/**
 * Nearest-mean-of-exemplars classification (iCaRL NME; Rebuffi, Kolesnikov, Sperl, Lampert, "iCaRL: Incremental
 * Classifier and Representation Learning", CVPR 2017, Alg. 1): each class is represented by the mean of its
 * L2-normalised exemplar embeddings, itself re-normalised to unit length as in the reference implementation; a test
 * embedding (normalised) is assigned the class whose mean is nearest in Euclidean distance, which for unit vectors
 * is the mean with the largest dot product. Ties go to the smaller label.
 */
public final class NearestClassMean {

    /**
     * @param predictions predicted label per test sample
     * @param accuracy    fraction correct, NaN when no sample was scored
     * @param scored      number of test samples scored
     */
    public record Result(int[] predictions, double accuracy, int scored) {
    }

    private final DenseLabels classes;
    private final float[] means;
    private final int dim;

    private NearestClassMean(DenseLabels classes, float[] means, int dim) {
        this.classes = classes;
        this.means = means;
        this.dim = dim;
    }

    /** Computes the class means from an exemplar set. */
    public static NearestClassMean fit(float[][] exemplars, int[] labels) {
        DenseLabels.requireSameLength(exemplars, labels, "NME exemplars");
        UnitRows x = UnitRows.of(exemplars, "NME exemplars");
        DenseLabels classes = DenseLabels.of(labels);
        int d = x.dim();
        double[] sum = new double[classes.size() * d];
        for (int i = 0; i < x.rows(); i++) {
            int c = classes.indexOf(labels[i]);
            for (int k = 0; k < d; k++) {
                sum[c * d + k] += x.data()[i * d + k];
            }
        }
        float[] means = new float[sum.length];
        for (int c = 0; c < classes.size(); c++) {
            double ss = 0;
            for (int k = 0; k < d; k++) {
                ss += sum[c * d + k] * sum[c * d + k];
            }
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            for (int k = 0; k < d; k++) {
                means[c * d + k] = (float) (sum[c * d + k] * inv);
            }
        }
        return new NearestClassMean(classes, means, d);
    }

    /** Labels known to the classifier, ascending. */
    public int[] classes() {
        return classes.labels();
    }

    /** Unit-length mean of class {@code label}. */
    public float[] mean(int label) {
        int c = classes.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("NME: no exemplars for label " + label + "; known labels "
                    + Arrays.toString(classes.labels()));
        }
        return Arrays.copyOfRange(means, c * dim, (c + 1) * dim);
    }

    /** Predicted label for each test embedding. */
    public int[] predict(float[][] test) {
        UnitRows x = UnitRows.of(test, "NME test");
        if (x.dim() != dim) {
            throw new IllegalArgumentException("NME test dimension " + x.dim() + " != exemplar dimension " + dim);
        }
        UnitRows m = new UnitRows(means, classes.size(), dim);
        int[] out = new int[x.rows()];
        for (int i = 0; i < x.rows(); i++) {
            int best = 0;
            float bestSim = x.dot(i, m, 0);
            for (int c = 1; c < classes.size(); c++) {
                float s = x.dot(i, m, c);
                if (s > bestSim) {
                    bestSim = s;
                    best = c;
                }
            }
            out[i] = classes.label(best);
        }
        return out;
    }

    /** Predictions and accuracy on all test samples. */
    public Result evaluate(float[][] test, int[] testLabels) {
        return evaluate(test, testLabels, null);
    }

    /**
     * Per-task accuracy: only test samples whose label is in {@code taskClasses} are scored; predictions still range
     * over every known class (class-incremental setting).
     */
    public Result evaluateTask(float[][] test, int[] testLabels, int[] taskClasses) {
        return evaluate(test, testLabels, Arrays.stream(taskClasses).distinct().sorted().toArray());
    }

    private Result evaluate(float[][] test, int[] testLabels, int[] subset) {
        DenseLabels.requireSameLength(test, testLabels, "NME test");
        int[] pred = predict(test);
        int scored = 0;
        int correct = 0;
        for (int i = 0; i < pred.length; i++) {
            if (subset != null && Arrays.binarySearch(subset, testLabels[i]) < 0) {
                continue;
            }
            scored++;
            if (pred[i] == testLabels[i]) {
                correct++;
            }
        }
        return new Result(pred, scored == 0 ? Double.NaN : (double) correct / scored, scored);
    }
}
