package io.contrastream.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Converts PNG/JPEG bytes to {@link Image}s and back with {@code javax.imageio}.
 *
 * <p>Decoding keeps one channel for grayscale images (with or without alpha) and three (RGB) otherwise; alpha is
 * dropped. Values are {@code v / 255}. Thread-safe.
 */
public final class ImageCodec {

    private ImageCodec() {
    }

    /**
     * Decodes PNG or JPEG bytes.
     *
     * @throws IllegalArgumentException when the bytes are not an image ImageIO can read
     */
    public static Image decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("no image bytes (empty payload)");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode image of " + bytes.length + " bytes: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("cannot decode image of " + bytes.length
                    + " bytes: not a PNG or JPEG that ImageIO can read");
        }
        return fromBuffered(img);
    }

    /** Converts a decoded image: grayscale to one channel, anything else to RGB. */
    public static Image fromBuffered(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        boolean gray = img.getColorModel().getColorSpace().getNumComponents() == 1;
        if (gray) {
            Raster raster = img.getRaster();
            int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            float[] px = new float[h * w];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = row[x] / (float) max;
                }
            }
            return new Image(1, h, w, px);
        }
        float[] px = new float[3 * h * w];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            px[i] = ((p >> 16) & 0xFF) * (1f / 255f);
            px[plane + i] = ((p >> 8) & 0xFF) * (1f / 255f);
            px[2 * plane + i] = (p & 0xFF) * (1f / 255f);
        }
        return new Image(3, h, w, px);
    }

    /** Encodes an image as an 8-bit PNG (grayscale for one channel, RGB for three). */
    public static byte[] encodePng(Image image) {
        int c = image.channels();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("PNG encoding needs 1 or 3 channels, got " + c);
        }
        int h = image.height();
        int w = image.width();
        BufferedImage out = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (c == 1) {
                    out.getRaster().setSample(x, y, 0, toByte(image.at(0, y, x)));
                } else {
                    out.setRGB(x, y, (toByte(image.at(0, y, x)) << 16) | (toByte(image.at(1, y, x)) << 8)
                            | toByte(image.at(2, y, x)));
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
        return bytes.toByteArray();
    }

    private static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
}
