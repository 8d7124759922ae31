package io.contrastream.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens datasets by name and split from a data directory.
 *
 * <p>Layout under the data directory (default {@code .contrastream/data} in the working directory):
 * <ul>
 *   <li>{@code fashion-mnist/} and {@code mnist/}: the standard MNIST file names
 *       {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 *       {@code t10k-labels-idx1-ubyte.gz} (gzip or, without the {@code .gz} suffix, plain), created by
 *       {@code contrastream import-npm};</li>
 *   <li>{@code cifar10/}: the CIFAR-10 binary batches ({@code data_batch_1.bin}.. and {@code test_batch.bin});</li>
 *   <li>{@code synthetic} needs no files: {@link SyntheticShapes}, 28x28x1, 10,000 train / 2,000 test, seed 0;
 *       {@code synthetic-rgb} is the same at 32x32x3.</li>
 * </ul>
 */
public final class DatasetCatalog {

    /** Names accepted by {@link #open(String, String)}. */
    public static final List<String> NAMES = List.of("fashion-mnist", "mnist", "cifar10", "synthetic", "synthetic-rgb");

    /** Fashion-MNIST class names, indexed by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** MNIST class names (the digits), indexed by label. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Synthetic dataset sizes used by the catalog. */
    static final int SYNTHETIC_TRAIN = 10_000;
    static final int SYNTHETIC_TEST = 2_000;

    private final Path dataDir;

    /** @param dataDir the data directory */
    public DatasetCatalog(Path dataDir) {
        if (dataDir == null) {
            throw new IllegalArgumentException("DatasetCatalog dataDir must not be null");
        }
        this.dataDir = dataDir;
    }

    /** {@code .contrastream/data} under the current working directory. */
    public static Path defaultDataDir() {
        return Path.of(".contrastream", "data");
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Directory of dataset {@code name}. */
    public Path datasetDir(String name) {
        return dataDir.resolve(name);
    }

    /** IDX images file name of a split, with {@code .gz}. */
    public static String idxImagesName(String split) {
        return prefix(split) + "-images-idx3-ubyte.gz";
    }

    /** IDX labels file name of a split, with {@code .gz}. */
    public static String idxLabelsName(String split) {
        return prefix(split) + "-labels-idx1-ubyte.gz";
    }

    private static String prefix(String split) {
        return switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("Unknown split '" + split + "', expected train or test");
        };
    }

    /**
     * Opens a dataset split.
     *
     * @param name  one of {@link #NAMES}
     * @param split {@code train} or {@code test}
     * @throws DatasetMissingException when files are missing (the message names the command that creates them)
     * @throws DatasetFormatException  when a file is malformed
     */
    public Dataset open(String name, String split) {
        prefix(split);
        return switch (name) {
            case "fashion-mnist" -> openIdx(name, split, FASHION_MNIST_CLASSES);
            case "mnist" -> openIdx(name, split, MNIST_CLASSES);
            case "cifar10" -> openCifar(split);
            case "synthetic" -> new SyntheticShapes(split, "train".equals(split) ? SYNTHETIC_TRAIN : SYNTHETIC_TEST,
                    1, 28, 28, 0L);
            case "synthetic-rgb" -> new SyntheticShapes(split, "train".equals(split) ? SYNTHETIC_TRAIN
                    : SYNTHETIC_TEST, 3, 32, 32, 0L);
            default -> throw new IllegalArgumentException("Unknown dataset '" + name + "', expected one of " + NAMES);
        };
    }

    private Dataset openIdx(String name, String split, List<String> classes) {
        Path dir = datasetDir(name);
        Path images = existing(dir.resolve(idxImagesName(split)));
        Path labels = existing(dir.resolve(idxLabelsName(split)));
        List<Path> missing = new ArrayList<>();
        if (!Files.isRegularFile(images)) {
            missing.add(images);
        }
        if (!Files.isRegularFile(labels)) {
            missing.add(labels);
        }
        if (!missing.isEmpty()) {
            throw new DatasetMissingException(name, missing, "Create them with: contrastream import-npm --dataset "
                    + name + " --data-dir " + dataDir);
        }
        return IdxFiles.readDataset(images, labels, name, split, classes);
    }

    /** Returns {@code gz} if it exists, else the same path without {@code .gz} if that exists, else {@code gz}. */
    private static Path existing(Path gz) {
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        String n = gz.getFileName().toString();
        Path plain = gz.resolveSibling(n.substring(0, n.length() - 3));
        return Files.isRegularFile(plain) ? plain : gz;
    }

    private Dataset openCifar(String split) {
        Path dir = datasetDir("cifar10");
        List<Path> missing = new ArrayList<>();
        for (String f : Cifar10Reader.fileNames(split)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(dir.resolve(f));
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetMissingException("cifar10", missing, "No command downloads CIFAR-10: extract the"
                    + " 'CIFAR-10 binary version' archive so that its *.bin files are directly in " + dir
                    + ", or use --dataset synthetic-rgb for a 32x32x3 dataset that needs no files");
        }
        return Cifar10Reader.read(dir, split);
    }
}
