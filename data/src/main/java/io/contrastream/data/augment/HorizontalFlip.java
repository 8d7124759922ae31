package io.contrastream.data.augment;

import java.util.SplittableRandom;

/** Mirrors the image left-right (column {@code x} becomes {@code w-1-x}). */
final class HorizontalFlip implements Op {

    @Override
    public boolean preservesClamped() {
        return true;
    }

    @Override
    public boolean apply(float[] src, float[] dst, int c, int h, int w, SplittableRandom rng) {
        for (int row = 0; row < c * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                dst[base + x] = src[base + w - 1 - x];
            }
        }
        return true;
    }
}
