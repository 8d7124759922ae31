package io.contrastream.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary format: each record is 1 label byte followed by 3072 pixel bytes (32x32, red plane,
 * then green, then blue, row-major). The train split is {@code data_batch_1.bin .. data_batch_5.bin}, the test
 * split {@code test_batch.bin}, all in one directory.
 */
public final class Cifar10Reader {

    /** The ten CIFAR-10 class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;

    private Cifar10Reader() {
    }

    /** File names of a split: {@code data_batch_1..5.bin} for train, {@code test_batch.bin} for test. */
    public static List<String> fileNames(String split) {
        return switch (split) {
            case "train" -> List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                    "data_batch_5.bin");
            case "test" -> List.of("test_batch.bin");
            default -> throw new IllegalArgumentException("Unknown split '" + split + "', expected train or test");
        };
    }

    /** Reads a split from {@code dir} (see {@link #fileNames(String)}). */
    public static ArrayDataset read(Path dir, String split) {
        List<Path> files = new ArrayList<>();
        for (String f : fileNames(split)) {
            files.add(dir.resolve(f));
        }
        return read(files, "cifar10", split);
    }

    /** Reads and concatenates the given batch files, in order. */
    public static ArrayDataset read(List<Path> files, String name, String split) {
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read CIFAR-10 batch " + file + ": " + e.getMessage(), e);
            }
            if (bytes.length % RECORD != 0) {
                throw new DatasetFormatException(file, bytes.length / RECORD, "file is truncated: " + bytes.length
                        + " bytes is not a multiple of the " + RECORD + "-byte record size");
            }
            for (int r = 0; r < bytes.length / RECORD; r++) {
                int label = bytes[r * RECORD] & 0xFF;
                if (label >= CLASS_NAMES.size()) {
                    throw new DatasetFormatException(file, r, "label " + label + " is outside [0, 10)");
                }
            }
            contents.add(bytes);
            total += bytes.length / RECORD;
        }
        if (total * PIXELS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("CIFAR-10 split too large: " + total + " records");
        }
        byte[] pixels = new byte[(int) (total * PIXELS)];
        byte[] labels = new byte[(int) total];
        int n = 0;
        for (byte[] bytes : contents) {
            for (int r = 0; r < bytes.length / RECORD; r++, n++) {
                labels[n] = bytes[r * RECORD];
                System.arraycopy(bytes, r * RECORD + 1, pixels, n * PIXELS, PIXELS);
            }
        }
        return new ArrayDataset(name, split, CLASS_NAMES, 3, SIDE, SIDE, pixels, labels);
    }
}
