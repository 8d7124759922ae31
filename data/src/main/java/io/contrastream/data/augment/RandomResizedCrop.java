package io.contrastream.data.augment;

import java.util.SplittableRandom;

/**
 * Random resized crop (as in torchvision / SimCLR): picks a crop whose area is {@code scale} of the image and whose
 * aspect ratio (width/height) is log-uniform in {@code ratio}, up to 10 attempts (falling back to the whole image),
 * then resizes it back to the input size with bilinear interpolation (half-pixel centres, edge clamped).
 */
final class RandomResizedCrop implements Op {

    private static final int ATTEMPTS = 10;

    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;

    RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * Op.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Op.uniform(rng, logRatioMin, logRatioMax));
            int cw = (int) Math.round(Math.sqrt(target * aspect));
            int ch = (int) Math.round(Math.sqrt(target / aspect));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int y0 = rng.nextInt(h - ch + 1);
                int x0 = rng.nextInt(w - cw + 1);
                resize(src, dst, c, h, w, y0, x0, ch, cw);
                return true;
            }
        }
        return false;
    }

    /**
     * Bilinearly resizes the crop {@code [y0, y0+ch) x [x0, x0+cw)} of {@code src} to {@code h x w} in {@code dst}.
     *
     * <p>Each crop row is interpolated horizontally once (into per-thread scratch) and shared by every output row
     * that reads it; the arithmetic per value is the same as interpolating both rows for each output row.
     */
    static void resize(float[] src, float[] dst, int c, int h, int w, int y0, int x0, int ch, int cw) {
        Scratch scratch = Scratch.get();
        int[] xi = scratch.indices(2 * w);
        float[] xf = scratch.weights(w);
        int lastCol = x0 + cw - 1;
        for (int x = 0; x < w; x++) {
            double sx = (x + 0.5) * cw / w - 0.5;
            sx = Math.max(0, Math.min(cw - 1, sx));
            int i = (int) Math.floor(sx);
            xi[x] = x0 + i;
            xi[w + x] = Math.min(x0 + i + 1, lastCol);
            xf[x] = (float) (sx - i);
        }
        float[] rows = scratch.rows(ch * w);
        for (int k = 0; k < c; k++) {
            for (int j = 0; j < ch; j++) {
                int in = (k * h + y0 + j) * w;
                int out = j * w;
                for (int x = 0; x < w; x++) {
                    float pa = src[in + xi[x]];
                    float pb = src[in + xi[w + x]];
                    rows[out + x] = pa + (pb - pa) * xf[x];
                }
            }
            for (int y = 0; y < h; y++) {
                double sy = (y + 0.5) * ch / h - 0.5;
                sy = Math.max(0, Math.min(ch - 1, sy));
                int j = (int) Math.floor(sy);
                float fy = (float) (sy - j);
                int top = j * w;
                int bot = Math.min(j + 1, ch - 1) * w;
                int out = (k * h + y) * w;
                for (int x = 0; x < w; x++) {
                    float t = rows[top + x];
                    dst[out + x] = t + (rows[bot + x] - t) * fy;
                }
            }
        }
    }
}
