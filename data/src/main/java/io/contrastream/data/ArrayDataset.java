package io.contrastream.data;

import java.util.List;

/**
 * A {@link Dataset} held in memory as unsigned 8-bit pixels (CHW per image) plus a label array; images are
 * converted to floats on {@link #get(int)}.
 */
public final class ArrayDataset implements Dataset {

    private final String name;
    private final String split;
    private final List<String> classNames;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * @param pixels {@code count * channels * height * width} unsigned bytes; not copied
     * @param labels one unsigned byte per image, each in [0, classNames.size()); not copied
     */
    public ArrayDataset(String name, String split, List<String> classNames, int channels, int height, int width,
                        byte[] pixels, byte[] labels) {
        if (name == null || name.isBlank() || split == null || split.isBlank()) {
            throw new IllegalArgumentException("ArrayDataset name and split must not be blank");
        }
        if (classNames == null || classNames.isEmpty() || classNames.size() > 256) {
            throw new IllegalArgumentException("ArrayDataset " + name + " needs 1..256 class names");
        }
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("ArrayDataset " + name + " shape must be positive");
        }
        long per = (long) channels * height * width;
        if ((long) labels.length * per != pixels.length) {
            throw new IllegalArgumentException("ArrayDataset " + name + "/" + split + ": " + labels.length
                    + " labels but " + pixels.length + " pixel bytes (expected " + labels.length * per + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= classNames.size()) {
                throw new IllegalArgumentException("ArrayDataset " + name + "/" + split + " label at index " + i
                        + " is " + (labels[i] & 0xFF) + ", outside [0, " + classNames.size() + ")");
            }
        }
        this.name = name;
        this.split = split;
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override public String name() { return name; }
    @Override public String split() { return split; }
    @Override public int size() { return labels.length; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int channels() { return channels; }
    @Override public int height() { return height; }
    @Override public int width() { return width; }

    @Override
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** True: every value is an unsigned byte times {@code 1f / 255f}, at most 1 (checked by a test for all 256). */
    @Override
    public boolean imagesInUnitRange() {
        return true;
    }

    @Override
    public Example get(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("Index " + i + " outside " + name + "/" + split + " of size " + labels.length);
        }
        int per = channels * height * width;
        return new Example(i, sampleId(i), label(i), Image.fromUint8(channels, height, width, pixels, i * per));
    }

    /** Raw unsigned byte of pixel {@code p} of image {@code i}, CHW order. */
    public int rawPixel(int i, int p) {
        return pixels[i * channels * height * width + p] & 0xFF;
    }
}
