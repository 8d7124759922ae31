package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Random erasing / cutout (Zhong et al. 2020; DeVries and Taylor 2017): fills a rectangle whose area is
 * {@code scale} of the image and whose aspect ratio is log-uniform in {@code ratio} with a constant {@code value},
 * in every channel; up to 10 attempts, otherwise the image is unchanged.
 */
final class RandomErasing implements Op {

    private static final int ATTEMPTS = 10;

    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final float value;

    RandomErasing(double scaleMin, double scaleMax, double ratioMin, double ratioMax, double value) {
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.value = (float) value;
    }

    /** The fill value is validated to lie in [0, 1]. */
    @Override
    public boolean preservesClamped() {
        return true;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * Op.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Op.uniform(rng, logRatioMin, logRatioMax));
            int eh = (int) Math.round(Math.sqrt(target / aspect));
            int ew = (int) Math.round(Math.sqrt(target * aspect));
            if (eh > 0 && ew > 0 && eh < h && ew < w) {
                int y0 = rng.nextInt(h - eh + 1);
                int x0 = rng.nextInt(w - ew + 1);
                erase(src, c, h, w, y0, x0, eh, ew, value);
                return false;
            }
        }
        return false;
    }

    /** In place: sets rows {@code [y0, y0+eh)} and columns {@code [x0, x0+ew)} of every channel to {@code value}. */
    static void erase(float[] a, int c, int h, int w, int y0, int x0, int eh, int ew, float value) {
        for (int k = 0; k < c; k++) {
            for (int y = y0; y < y0 + eh; y++) {
                int base = (k * h + y) * w;
                java.util.Arrays.fill(a, base + x0, base + x0 + ew, value);
            }
        }
    }
}
