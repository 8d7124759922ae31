package io.contrastream.eval.internal;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.eval.EvaluatorConfig;
import io.contrastream.eval.metrics.ImageSet;
import io.contrastream.eval.metrics.internal.SeededSubset;
import java.util.Arrays;

/**
 * The images an evaluator scores every checkpoint on, loaded once: a seeded subset of the "test" split (all of it by
 * default), a seeded subset of "train" (kNN memory / probe training set) and the robustness subset of the test images.
 *
 * @param dataset     dataset name
 * @param shape       {C, H, W}
 * @param testImages  test images, flat CHW in [0, 1]
 * @param testLabels  their labels
 * @param trainImages train subset images
 * @param trainLabels their labels
 * @param robustCount the first {@code robustCount} test images form the robustness subset
 */
public record EvaluationData(String dataset, int[] shape, float[][] testImages, int[] testLabels,
                             float[][] trainImages, int[] trainLabels, int robustCount) {

    /** Loads the splits named by {@code config}. */
    public static EvaluationData load(EvaluatorConfig config) {
        DatasetCatalog catalog = new DatasetCatalog(config.dataDir());
        Dataset test = catalog.open(config.dataset(), "test");
        Dataset train = catalog.open(config.dataset(), "train");
        int[] testIdx = subset(test.size(), config.maxTestSamples(), config.seed() ^ 0x7e57L);
        int[] trainIdx = subset(train.size(), config.trainSubsetSize(), config.seed() ^ 0x7121L);
        float[][] testImages = new float[testIdx.length][];
        int[] testLabels = new int[testIdx.length];
        for (int i = 0; i < testIdx.length; i++) {
            testImages[i] = test.get(testIdx[i]).image().pixels();
            testLabels[i] = test.label(testIdx[i]);
        }
        float[][] trainImages = new float[trainIdx.length][];
        int[] trainLabels = new int[trainIdx.length];
        for (int i = 0; i < trainIdx.length; i++) {
            trainImages[i] = train.get(trainIdx[i]).image().pixels();
            trainLabels[i] = train.label(trainIdx[i]);
        }
        return new EvaluationData(config.dataset(), new int[] {test.channels(), test.height(), test.width()},
                testImages, testLabels, trainImages, trainLabels,
                Math.min(config.robustnessSubsetSize(), testIdx.length));
    }

    /**
     * {@code min(n, size)} distinct indices of {@code [0, size)} chosen by a seeded partial Fisher-Yates shuffle, in
     * ascending order; all indices when {@code n >= size}.
     */
    public static int[] subset(int size, int n, long seed) {
        return SeededSubset.sorted(size, n, seed);
    }

    /** The robustness subset as an {@link ImageSet}. */
    public ImageSet robustImages() {
        return new ImageSet(Arrays.copyOf(testImages, robustCount), shape[0], shape[1], shape[2]);
    }

    /** Labels of the robustness subset. */
    public int[] robustLabels() {
        return Arrays.copyOf(testLabels, robustCount);
    }
}
