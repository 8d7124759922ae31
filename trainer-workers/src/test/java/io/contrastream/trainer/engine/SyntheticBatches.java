package io.contrastream.trainer.engine;

import java.util.Random;

/**
 * Separable synthetic data: {@code classes} random prototype vectors; a view of a sample is its class prototype
 * plus independent Gaussian noise.
 */
final class SyntheticBatches {
    private final float[][] prototypes;
    private final Random random;
    private final float noise;

    SyntheticBatches(int classes, int sampleSize, float noise, long seed) {
        this.random = new Random(seed);
        this.noise = noise;
        this.prototypes = new float[classes][sampleSize];
        for (float[] p : prototypes) {
            for (int j = 0; j < sampleSize; j++) {
                p[j] = (float) random.nextGaussian();
            }
        }
    }

    TrainBatch next(int batchSize, int views, int[] sampleShape) {
        int size = prototypes[0].length;
        long[] labels = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = random.nextInt(prototypes.length);
        }
        float[] pixels = new float[views * batchSize * size];
        for (int v = 0; v < views; v++) {
            for (int i = 0; i < batchSize; i++) {
                float[] p = prototypes[(int) labels[i]];
                int offset = (v * batchSize + i) * size;
                for (int j = 0; j < size; j++) {
                    pixels[offset + j] = p[j] + noise * (float) random.nextGaussian();
                }
            }
        }
        return TrainBatch.builder().setViews(views).setBatchSize(batchSize).setSampleShape(sampleShape)
                .setPixels(pixels).optLabels(labels).build();
    }
}
