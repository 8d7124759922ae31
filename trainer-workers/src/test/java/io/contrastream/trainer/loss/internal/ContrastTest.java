package io.contrastream.trainer.loss.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContrastTest {

    /**
     * The instance fast path must equal the general masked cross-entropy it specialises (positives: the other views
     * of the anchor's sample; denominator: every row but the anchor), in value and in gradient, with and without
     * explicit negatives.
     */
    @ParameterizedTest
    @CsvSource({"2, 64, 16, 0.2, 0", "2, 7, 5, 0.07, 0", "3, 20, 8, 0.5, 0", "2, 16, 8, 0.2, 3", "4, 6, 4, 0.1, 2"})
    void instanceFastPathShouldMatchTheMaskedCrossEntropy(int views, int samples, int dim, float tau, int m) {
        int rows = views * samples;
        Random random = new Random(rows * 31L + dim);
        float[] values = new float[rows * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        float[] negatives = new float[samples * Math.max(m, 1) * dim];
        for (int i = 0; i < negatives.length; i++) {
            negatives[i] = (float) random.nextGaussian();
        }
        Function<NDArray, NDArray> fast = z -> Contrast.instanceCrossEntropy(z, views, tau,
                m == 0 ? null : extra(z, negatives, samples, m, dim, views, tau));
        Function<NDArray, NDArray> masked = z -> {
            NDManager manager = z.getManager();
            NDArray self = Contrast.self(manager, rows);
            NDArray positives = Contrast.sameSample(manager, rows, samples).sub(self);
            return Contrast.crossEntropy(Contrast.similarities(z, tau), positives, self.neg().add(1f),
                    m == 0 ? null : extra(z, negatives, samples, m, dim, views, tau), null);
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] a = valueAndGradient(manager, values, rows, dim, fast);
            float[][] b = valueAndGradient(manager, values, rows, dim, masked);
            assertEquals(b[0][0], a[0][0], 2e-6f * Math.max(1f, Math.abs(b[0][0])));
            assertArrayEquals(b[1], a[1], 1e-6f);
        }
    }

    private static NDArray extra(NDArray z, float[] negatives, int samples, int m, int dim, int views, float tau) {
        NDArray n = z.getManager().create(negatives, new Shape(samples, m, dim));
        return Contrast.negativeLogits(z, n, views, tau);
    }

    private static float[][] valueAndGradient(NDManager manager, float[] values, int rows, int dim,
                                              Function<NDArray, NDArray> loss) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(values, new Shape(rows, dim));
            x.setRequiresGradient(true);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.apply(Contrast.normalize(x));
                value = l.getFloat();
                collector.backward(l);
            }
            return new float[][] {{value}, x.getGradient().toFloatArray()};
        }
    }
}
