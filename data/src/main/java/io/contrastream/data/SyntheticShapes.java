package io.contrastream.data;

import io.contrastream.data.internal.Mix64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, procedurally drawn dataset of ten clearly separable shape classes, rendered on demand (nothing is
 * stored). Each image has a random position, size, foreground intensity (or colour when 3 channels) and additive
 * background noise; the label of example {@code i} is {@code i % 10}, so classes are balanced.
 *
 * <p>Image {@code i} of split {@code s} depends only on {@code (seed, s, i, shape)}: the same seed always gives
 * the same float bytes.
 */
public final class SyntheticShapes implements Dataset {

    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("disc", "ring", "square", "hollow-square", "triangle",
            "plus", "x-cross", "h-stripes", "v-stripes", "checker");

    private final String split;
    private final int size;
    private final int channels;
    private final int height;
    private final int width;
    private final long splitSeed;

    /**
     * @param split    {@code train} or {@code test} (different images for the same seed)
     * @param size     number of examples
     * @param channels 1 or 3
     * @param height   at least 8
     * @param width    at least 8
     * @param seed     generator seed
     */
    public SyntheticShapes(String split, int size, int channels, int height, int width, long seed) {
        if (!"train".equals(split) && !"test".equals(split)) {
            throw new IllegalArgumentException("SyntheticShapes split must be train or test, got '" + split + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("SyntheticShapes size must be >= 0, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("SyntheticShapes channels must be 1 or 3, got " + channels);
        }
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("SyntheticShapes height and width must be >= 8, got "
                    + height + "x" + width);
        }
        this.split = split;
        this.size = size;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.splitSeed = Mix64.combine(Mix64.mix(seed), "train".equals(split) ? 0x7121L : 0x7e57L);
    }

    @Override public String name() { return "synthetic"; }
    @Override public String split() { return split; }
    @Override public int size() { return size; }
    @Override public List<String> classNames() { return CLASS_NAMES; }
    @Override public int channels() { return channels; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }

    @Override
    public int label(int i) {
        checkIndex(i);
        return i % CLASS_NAMES.size();
    }

    @Override
    public Example get(int i) {
        int label = label(i);
        SplittableRandom rng = new SplittableRandom(Mix64.combine(splitSeed, i));
        int minSide = Math.min(height, width);
        float half = (float) (minSide * (0.22 + 0.16 * rng.nextDouble()));
        float cx = (float) (half + rng.nextDouble() * (width - 2 * half));
        float cy = (float) (half + rng.nextDouble() * (height - 2 * half));
        float thick = Math.max(1.2f, half * 0.3f);
        float[] colour = new float[channels];
        for (int c = 0; c < channels; c++) {
            colour[c] = (float) (0.65 + 0.35 * rng.nextDouble());
        }
        float noise = 0.08f;
        float[] pixels = new float[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean on = inside(label, x + 0.5f - cx, y + 0.5f - cy, half, thick);
                for (int c = 0; c < channels; c++) {
                    float v = (on ? colour[c] : 0.05f) + (float) (rng.nextDouble() * 2 - 1) * noise;
                    pixels[(c * height + y) * width + x] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        return new Example(i, sampleId(i), label, new Image(channels, height, width, pixels));
    }

    private static boolean inside(int label, float dx, float dy, float half, float thick) {
        float ax = Math.abs(dx);
        float ay = Math.abs(dy);
        float r = (float) Math.sqrt(dx * dx + dy * dy);
        return switch (label) {
            case 0 -> r <= half;
            case 1 -> r <= half && r >= half - thick;
            case 2 -> ax <= half * 0.85f && ay <= half * 0.85f;
            case 3 -> ax <= half * 0.85f && ay <= half * 0.85f && (ax >= half * 0.85f - thick || ay >= half * 0.85f - thick);
            case 4 -> dy <= half && dy >= -half && ax <= (dy + half) * 0.5f;
            case 5 -> (ax <= thick / 2 && ay <= half) || (ay <= thick / 2 && ax <= half);
            case 6 -> ax <= half && ay <= half && Math.abs(ax - ay) <= thick * 0.75f;
            case 7 -> ax <= half && ay <= half && ((int) Math.floor((dy + half) / thick)) % 2 == 0;
            case 8 -> ax <= half && ay <= half && ((int) Math.floor((dx + half) / thick)) % 2 == 0;
            case 9 -> ax <= half && ay <= half
                    && (((int) Math.floor((dx + half) / (half / 2)) + (int) Math.floor((dy + half) / (half / 2))) % 2 == 0);
            default -> throw new IllegalStateException("label " + label);
        };
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("Index " + i + " outside synthetic/" + split + " of size " + size);
        }
    }
}
