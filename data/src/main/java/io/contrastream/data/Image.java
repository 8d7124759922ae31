package io.contrastream.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An image as a dense float tensor in channel-height-width (CHW) order with values in [0, 1].
 *
 * <p>The pixel array is owned by the record: callers must not mutate it after construction (it is not
 * copied, because images are created at producer rates where a defensive copy would double allocation).
 *
 * @param channels number of channels (1 for grayscale, 3 for RGB)
 * @param height   rows
 * @param width    columns
 * @param pixels   {@code channels * height * width} values, CHW order, each in [0, 1]
 */
public record Image(int channels, int height, int width, float[] pixels) {

    /** {@code v * (1f / 255f)} for every unsigned byte {@code v} (the same floats, looked up instead of computed). */
    private static final float[] UINT8_TO_UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UINT8_TO_UNIT[v] = v * (1f / 255f);
        }
    }

    /** Validates the shape and the pixel count; values are not scanned (see {@link #checkRange()}). */
    public Image {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Image shape must be positive, got channels=" + channels
                    + " height=" + height + " width=" + width);
        }
        if (pixels == null) {
            throw new IllegalArgumentException("Image pixels must not be null");
        }
        long expected = (long) channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("Image pixels length " + pixels.length + " does not match shape "
                    + channels + "x" + height + "x" + width + " = " + expected);
        }
    }

    /** Number of values, {@code channels * height * width}. */
    public int size() {
        return pixels.length;
    }

    /** Value at channel {@code c}, row {@code y}, column {@code x}. */
    public float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }

    /**
     * Checks that every value is finite and inside [0, 1].
     *
     * @return this image
     * @throws IllegalArgumentException naming the first offending flat index
     */
    public Image checkRange() {
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("Image pixel " + i + " is " + v + ", expected a value in [0, 1]");
            }
        }
        return this;
    }

    /** Pixels as little-endian IEEE-754 float32 bytes, CHW order ({@code 4 * size()} bytes). */
    public byte[] toFloat32LE() {
        ByteBuffer buffer = ByteBuffer.allocate(pixels.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(pixels);
        return buffer.array();
    }

    /**
     * Inverse of {@link #toFloat32LE()}.
     *
     * @param shape {@code [channels, height, width]}
     * @param bytes little-endian float32 values in CHW order
     */
    public static Image fromFloat32LE(int[] shape, byte[] bytes) {
        if (shape == null || shape.length != 3) {
            throw new IllegalArgumentException("Image shape must be [channels, height, width], got "
                    + Arrays.toString(shape));
        }
        long count = (long) shape[0] * shape[1] * shape[2];
        if (bytes == null || bytes.length != count * Float.BYTES) {
            throw new IllegalArgumentException("Image bytes length " + (bytes == null ? "null" : bytes.length)
                    + " does not match shape " + Arrays.toString(shape) + " (expected " + count * Float.BYTES + ")");
        }
        float[] pixels = new float[(int) count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return new Image(shape[0], shape[1], shape[2], pixels);
    }

    /** Builds an image from unsigned 8-bit values ({@code v / 255}), CHW order. */
    public static Image fromUint8(int channels, int height, int width, byte[] data, int offset) {
        int n = channels * height * width;
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = UINT8_TO_UNIT[data[offset + i] & 0xFF];
        }
        return new Image(channels, height, width, pixels);
    }

    /** {@code [channels, height, width]}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && channels == other.channels && height == other.height
                && width == other.width && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Image[" + channels + "x" + height + "x" + width + "]";
    }
}
