package io.contrastream.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the IDX format used by MNIST and Fashion-MNIST: a big-endian header with magic
 * {@code 0x00000803} (unsigned byte images, 3 dimensions: count, rows, columns) or {@code 0x00000801}
 * (unsigned byte labels, 1 dimension: count), followed by the raw bytes. Files may be gzip-compressed; this is
 * detected from the gzip magic bytes, not the file name.
 */
public final class IdxFiles {

    /** Magic number of a 3-D unsigned byte tensor (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a 1-D unsigned byte tensor (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /**
     * Images decoded from an IDX file.
     *
     * @param count  number of images
     * @param rows   image height
     * @param cols   image width
     * @param pixels {@code count * rows * cols} unsigned bytes, row-major per image
     */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {
        /** Validates sizes. */
        public IdxImages {
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("IdxImages shape " + count + "x" + rows + "x" + cols
                        + " does not match " + pixels.length + " bytes");
            }
        }
    }

    /** Reads an images file (magic {@code 0x00000803}). */
    public static IdxImages readImages(Path file) {
        ByteBuffer buf = ByteBuffer.wrap(readMaybeGzip(file));
        checkMagic(file, buf, IMAGES_MAGIC, 16);
        int count = dim(file, buf, "count");
        int rows = dim(file, buf, "rows");
        int cols = dim(file, buf, "cols");
        if (rows == 0 || cols == 0) {
            throw new DatasetFormatException(file, -1, "image size " + rows + "x" + cols + " must be positive");
        }
        long per = (long) rows * cols;
        long available = buf.remaining();
        if (available < count * per) {
            throw new DatasetFormatException(file, available / per, "file is truncated: header declares " + count
                    + " images of " + rows + "x" + cols + " but only " + available + " pixel bytes follow;"
                    + " re-create the file (e.g. contrastream import-npm --force)");
        }
        if (available > count * per) {
            throw new DatasetFormatException(file, count, "file has " + (available - count * per)
                    + " trailing bytes after " + count + " images");
        }
        byte[] pixels = new byte[(int) (count * per)];
        buf.get(pixels);
        return new IdxImages(count, rows, cols, pixels);
    }

    /** Reads a labels file (magic {@code 0x00000801}). */
    public static byte[] readLabels(Path file) {
        ByteBuffer buf = ByteBuffer.wrap(readMaybeGzip(file));
        checkMagic(file, buf, LABELS_MAGIC, 8);
        int count = dim(file, buf, "count");
        int available = buf.remaining();
        if (available < count) {
            throw new DatasetFormatException(file, available, "file is truncated: header declares " + count
                    + " labels but only " + available + " follow; re-create the file");
        }
        if (available > count) {
            throw new DatasetFormatException(file, count, "file has " + (available - count)
                    + " trailing bytes after " + count + " labels");
        }
        byte[] labels = new byte[count];
        buf.get(labels);
        return labels;
    }

    /**
     * Reads a matching images/labels pair into a grayscale {@link ArrayDataset}, checking that the counts agree
     * and every label is in [0, classNames.size()).
     */
    public static ArrayDataset readDataset(Path imagesFile, Path labelsFile, String name, String split,
                                           List<String> classNames) {
        IdxImages images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new DatasetFormatException(labelsFile, Math.min(images.count(), labels.length), "has "
                    + labels.length + " labels but " + imagesFile + " has " + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= classNames.size()) {
                throw new DatasetFormatException(labelsFile, i, "label " + label + " is outside [0, "
                        + classNames.size() + ")");
            }
        }
        return new ArrayDataset(name, split, classNames, 1, images.rows(), images.cols(), images.pixels(), labels);
    }

    /** Writes an images file; {@code pixels} holds {@code count * rows * cols} unsigned bytes. */
    public static void writeImages(Path file, int count, int rows, int cols, byte[] pixels, boolean gzip) {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("writeImages " + file + ": " + count + "x" + rows + "x" + cols
                    + " does not match " + pixels.length + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        write(file, header.array(), pixels, gzip);
    }

    /** Writes a labels file. */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) {
        ByteBuffer header = ByteBuffer.allocate(8).putInt(LABELS_MAGIC).putInt(labels.length);
        write(file, header.array(), labels, gzip);
    }

    private static void write(Path file, byte[] header, byte[] body, boolean gzip) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                 OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
                out.write(header);
                out.write(body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] readMaybeGzip(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new DatasetFormatException(file.toString(), -1, "corrupt or truncated gzip stream ("
                        + e.getMessage() + "); re-create the file", e);
            }
        }
        return bytes;
    }

    private static void checkMagic(Path file, ByteBuffer buf, int expected, int headerBytes) {
        if (buf.remaining() < headerBytes) {
            throw new DatasetFormatException(file, -1, "file is truncated: " + buf.remaining()
                    + " bytes, shorter than the " + headerBytes + "-byte IDX header");
        }
        int magic = buf.getInt();
        if (magic != expected) {
            throw new DatasetFormatException(file, -1, String.format(
                    "wrong magic 0x%08x, expected 0x%08x (%s); is this the right file?", magic, expected,
                    expected == IMAGES_MAGIC ? "IDX images" : "IDX labels"));
        }
    }

    private static int dim(Path file, ByteBuffer buf, String what) {
        int v = buf.getInt();
        if (v < 0) {
            throw new DatasetFormatException(file, -1, "negative " + what + " " + v + " in header");
        }
        return v;
    }
}
