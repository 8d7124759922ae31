package io.contrastream.eval.metrics;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.contrastream.eval.metrics.internal.BlockEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Common-corruption robustness (Hendrycks and Dietterich, "Benchmarking Neural Network Robustness to Common
 * Corruptions and Perturbations", ICLR 2019): head accuracy on images corrupted at five severities, using the
 * CIFAR-10-C parameters of that paper's reference code:
 * <ul>
 *   <li>Gaussian noise: {@code clip(x + N(0, c^2))}, c = 0.04, 0.06, 0.08, 0.09, 0.10;</li>
 *   <li>Gaussian blur: separable Gaussian filter per channel, sigma = 0.4, 0.6, 0.7, 0.8, 1.0 pixels, kernel radius
 *       ceil(3 sigma), borders reflected (mirror without repeating the edge pixel).</li>
 * </ul>
 * Noise is seeded per (seed, image index), so results do not depend on batching.
 */
public final class CorruptionRobustness {

    /** Corruption kinds with their five severity parameters. */
    public enum Corruption {
        /** Additive Gaussian noise; parameter = standard deviation. */
        GAUSSIAN_NOISE("gaussian-noise", new double[] {0.04, 0.06, 0.08, 0.09, 0.10}),
        /** Gaussian blur; parameter = sigma in pixels. */
        GAUSSIAN_BLUR("gaussian-blur", new double[] {0.4, 0.6, 0.7, 0.8, 1.0});

        private final String label;
        private final double[] severities;

        Corruption(String label, double[] severities) {
            this.label = label;
            this.severities = severities;
        }

        /** Name as published, e.g. "gaussian-noise". */
        public String label() {
            return label;
        }

        /** Parameter of severity 1..5. */
        public double parameter(int severity) {
            if (severity < 1 || severity > severities.length) {
                throw new IllegalArgumentException(label + ": severity " + severity + " outside 1.." + severities.length);
            }
            return severities[severity - 1];
        }
    }

    /**
     * One (corruption, severity) outcome.
     *
     * @param corruption corruption label
     * @param severity   1..5
     * @param parameter  noise std or blur sigma
     * @param accuracy   head accuracy on corrupted images
     */
    public record Result(String corruption, int severity, double parameter, double accuracy) {
    }

    private final long seed;
    private final int batchSize;

    /**
     * @param seed      noise seed
     * @param batchSize images per forward pass
     */
    public CorruptionRobustness(long seed, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("CorruptionRobustness: batchSize " + batchSize + " must be >= 1");
        }
        this.seed = seed;
        this.batchSize = batchSize;
    }

    /** Corrupts one CHW image (returns a new array). */
    public static float[] apply(Corruption corruption, int severity, float[] chw, int channels, int height, int width,
                                SplittableRandom random) {
        double p = corruption.parameter(severity);
        return switch (corruption) {
            case GAUSSIAN_NOISE -> {
                float[] out = new float[chw.length];
                for (int i = 0; i < chw.length; i++) {
                    out[i] = (float) Math.min(1, Math.max(0, chw[i] + p * random.nextGaussian()));
                }
                yield out;
            }
            case GAUSSIAN_BLUR -> blur(chw, channels, height, width, p);
        };
    }

    /** Separable Gaussian blur with reflected borders. */
    static float[] blur(float[] chw, int channels, int height, int width, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            int base = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += k[i + r] * chw[base + y * width + reflect(x + i, width)];
                    }
                    tmp[base + y * width + x] = (float) s;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += k[i + r] * tmp[base + reflect(y + i, height) * width + x];
                    }
                    out[base + y * width + x] = (float) Math.min(1, Math.max(0, s));
                }
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** Accuracy of {@code head} over the encoder for each corruption and severity 1..5. */
    public List<Result> evaluate(NDManager manager, Block encoder, LinearProbe.Model head, ImageSet images,
                                 int[] labels, List<Corruption> corruptions) {
        if (images.size() != labels.length) {
            throw new IllegalArgumentException("CorruptionRobustness: " + images.size() + " images but "
                    + labels.length + " labels");
        }
        BlockEmbedder embedder = new BlockEmbedder(manager, encoder, images.channels(), images.height(),
                images.width(), batchSize);
        List<Result> out = new ArrayList<>();
        for (Corruption corruption : corruptions) {
            for (int severity = 1; severity <= 5; severity++) {
                float[][] corrupted = new float[images.size()][];
                for (int i = 0; i < images.size(); i++) {
                    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
                    corrupted[i] = apply(corruption, severity, images.pixels()[i], images.channels(),
                            images.height(), images.width(), rnd);
                }
                double acc = head.accuracy(embedder.embed(corrupted), labels);
                out.add(new Result(corruption.label(), severity, corruption.parameter(severity), acc));
            }
        }
        return out;
    }
}
