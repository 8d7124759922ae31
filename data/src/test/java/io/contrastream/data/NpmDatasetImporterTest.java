package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmDatasetImporterTest {

    private static final List<String> THREE = List.of("a", "b", "c");

    @TempDir
    Path tmp;

    /** Image j of class c: every pixel is (c * 40 + j) in 0..255, pixel 0 is j. */
    private static int value(int c, int j, int p) {
        return p == 0 ? j : c * 40 + j;
    }

    private Path fashionLikePackage(int perClass, boolean withEmpty) throws IOException {
        Path pkg = tmp.resolve("fake-fashion/package");
        Files.createDirectories(pkg.resolve("src/clothes"));
        Files.writeString(pkg.resolve("package.json"), "{\"name\":\"fake-fashion\",\"version\":\"9.8.7\"}");
        for (int c = 0; c < 3; c++) {
            StringBuilder sb = new StringBuilder("{\"data\":[");
            for (int j = 0; j < perClass; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                if (withEmpty && c == 0 && j == 1) {
                    sb.append("[],");
                }
                sb.append('[');
                for (int p = 0; p < 784; p++) {
                    sb.append(p > 0 ? "," : "").append(value(c, j, p));
                }
                sb.append(']');
            }
            sb.append(withEmpty && c == 0 ? ",[]" : "").append("]}");
            Files.writeString(pkg.resolve("src/clothes/" + c + ".json"), sb);
        }
        return pkg;
    }

    private static NpmImportSpec fashionSpec(int expectedTotal) {
        return new NpmImportSpec("fake", "fake-fashion", "src/clothes", THREE, NpmImportSpec.PixelScale.UINT8,
                expectedTotal, new SplitRule.FixedPerClass(1, 5L));
    }

    @Test
    void shouldConvertNestedJsonToIdxWithSplitAndManifest() throws IOException {
        Path pkg = fashionLikePackage(4, true);
        Path data = tmp.resolve("data");
        List<String> messages = new ArrayList<>();
        NpmDatasetImporter importer = new NpmDatasetImporter(data, (d, m) -> messages.add(d + ": " + m));
        ImportResult r = importer.importFromPackageDir(fashionSpec(12), pkg, false);
        ImportResult.Imported imported = assertInstanceOf(ImportResult.Imported.class, r);
        assertEquals(9, imported.trainCount());
        assertEquals(3, imported.testCount());
        assertEquals(2, imported.skippedEmpty());
        assertEquals("9.8.7", imported.packageVersion());
        assertTrue(messages.stream().anyMatch(m -> m.contains("skipped empty entries [1, 5]")), messages.toString());

        ArrayDataset train = IdxFiles.readDataset(data.resolve("fake/train-images-idx3-ubyte.gz"),
                data.resolve("fake/train-labels-idx1-ubyte.gz"), "fake", "train", THREE);
        ArrayDataset test = IdxFiles.readDataset(data.resolve("fake/t10k-images-idx3-ubyte.gz"),
                data.resolve("fake/t10k-labels-idx1-ubyte.gz"), "fake", "test", THREE);
        // every (class, j) pair appears exactly once over train + test, with its exact pixel values
        Map<String, Integer> seen = new HashMap<>();
        for (ArrayDataset ds : List.of(train, test)) {
            int[] perClass = new int[3];
            for (int i = 0; i < ds.size(); i++) {
                int c = ds.label(i);
                int j = ds.rawPixel(i, 0);
                perClass[c]++;
                assertEquals(value(c, j, 500), ds.rawPixel(i, 500));
                seen.merge(c + "/" + j, 1, Integer::sum);
            }
            assertArrayEquals(ds == train ? new int[] {3, 3, 3} : new int[] {1, 1, 1}, perClass);
        }
        assertEquals(12, seen.size());

        JsonNode manifest = new ObjectMapper().readTree(data.resolve("fake/manifest.json").toFile());
        assertEquals("fake-fashion", manifest.at("/source/package").asText());
        assertEquals("9.8.7", manifest.at("/source/version").asText());
        assertEquals("fixed-per-class-seeded-shuffle", manifest.at("/split/rule").asText());
        assertEquals(3, manifest.at("/counts/train/perClass/2").asInt());
        assertEquals(64, manifest.at("/files/train-images-idx3-ubyte.gz/sha256").asText().length());
        assertEquals("src/clothes/0.json[1]", manifest.at("/skippedEmptyEntries/0").asText());
    }

    @Test
    void shouldBeIdempotentAndReimportWhenChecksumFails() throws IOException {
        Path pkg = fashionLikePackage(2, false);
        Path data = tmp.resolve("data");
        NpmDatasetImporter importer = new NpmDatasetImporter(data, ImportProgress.NONE);
        NpmImportSpec spec = fashionSpec(6);
        assertInstanceOf(ImportResult.Imported.class, importer.importFromPackageDir(spec, pkg, false));
        Path labels = data.resolve("fake/train-labels-idx1-ubyte.gz");
        byte[] first = Files.readAllBytes(labels);
        assertInstanceOf(ImportResult.AlreadyPresent.class, importer.importFromPackageDir(spec, pkg, false));
        assertInstanceOf(ImportResult.Imported.class, importer.importFromPackageDir(spec, pkg, true));
        assertArrayEquals(first, Files.readAllBytes(labels), "re-import must be byte-identical");
        Files.write(labels, new byte[] {1, 2, 3});
        assertInstanceOf(ImportResult.Imported.class, importer.importFromPackageDir(spec, pkg, false));
        assertArrayEquals(first, Files.readAllBytes(labels));
    }

    @Test
    void shouldScaleFlatUnitValuesWithRoundingAndStratify() throws IOException {
        Path pkg = tmp.resolve("fake-mnist/package");
        Files.createDirectories(pkg.resolve("src/digits"));
        Files.writeString(pkg.resolve("package.json"), "{\"name\":\"fake-mnist\",\"version\":\"1.0.0\"}");
        int[] counts = {3, 1, 6};
        for (int c = 0; c < 3; c++) {
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int j = 0; j < counts[c] * 784; j++) {
                // 0.004 * 255 = 1.02 -> 1; 0.502 * 255 = 128.01 -> 128; 1 -> 255
                sb.append(j > 0 ? "," : "").append(j % 3 == 0 ? "0.004" : (j % 3 == 1 ? "0.502" : "1"));
            }
            Files.writeString(pkg.resolve("src/digits/" + c + ".json"), sb.append("]}"));
        }
        NpmImportSpec spec = new NpmImportSpec("fm", "fake-mnist", "src/digits", THREE, NpmImportSpec.PixelScale.UNIT,
                10, new SplitRule.StratifiedTotal(5, 1L));
        Path data = tmp.resolve("data");
        ImportResult.Imported r = assertInstanceOf(ImportResult.Imported.class,
                new NpmDatasetImporter(data, ImportProgress.NONE).importFromPackageDir(spec, pkg, false));
        assertEquals(5, r.trainCount());
        assertEquals(5, r.testCount());
        ArrayDataset test = IdxFiles.readDataset(data.resolve("fm/t10k-images-idx3-ubyte.gz"),
                data.resolve("fm/t10k-labels-idx1-ubyte.gz"), "fm", "test", THREE);
        // stratified 5 of 10: exact shares 1.5, 0.5, 3.0 -> floors 1, 0, 3 -> one extra to the largest remainder
        // (tie 0.5 vs 0.5 goes to the lower class 0): 2, 0, 3
        int[] perClass = new int[3];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
        }
        assertArrayEquals(new int[] {2, 0, 3}, perClass);
        assertEquals(1, test.rawPixel(0, 0));
        assertEquals(128, test.rawPixel(0, 1));
        assertEquals(255, test.rawPixel(0, 2));
    }

    @Test
    void shouldNamePackageFileAndImageIndexForOutOfRangeValue() throws IOException {
        Path pkg = fashionLikePackage(3, false);
        Path file = pkg.resolve("src/clothes/2.json");
        String json = Files.readString(file);
        // image 1 of class 2 starts with pixel value 1 then 81,81,...: make its pixel 1 equal 300
        Files.writeString(file, json.replaceFirst("\\[1,81,", "[1,300,"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new NpmDatasetImporter(tmp.resolve("d"), ImportProgress.NONE)
                        .importFromPackageDir(fashionSpec(9), pkg, false));
        assertEquals(file.toString(), e.file());
        assertEquals(1, e.index());
        assertTrue(e.reason().contains("pixel 1 is 300"), e.reason());
    }

    @Test
    void shouldRejectWrongImageLengthAndWrongTotal() throws IOException {
        Path pkg = fashionLikePackage(2, false);
        NpmDatasetImporter importer = new NpmDatasetImporter(tmp.resolve("d"), ImportProgress.NONE);
        DatasetFormatException total = assertThrows(DatasetFormatException.class,
                () -> importer.importFromPackageDir(fashionSpec(70_000), pkg, false));
        assertTrue(total.reason().contains("has 6 images, expected 70000"), total.reason());

        Path file = pkg.resolve("src/clothes/1.json");
        Files.writeString(file, "{\"data\":[[1,2,3]]}");
        DatasetFormatException length = assertThrows(DatasetFormatException.class,
                () -> importer.importFromPackageDir(fashionSpec(-1), pkg, false));
        assertEquals(file.toString(), length.file());
        assertEquals(0, length.index());
        assertTrue(length.reason().contains("has 3 values"), length.reason());
    }

    @Test
    void shouldSplitSupportedPackagesAsDocumented() {
        int[] fashion = new int[10];
        java.util.Arrays.fill(fashion, 7000);
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                NpmImportSpec.fashionMnist().split().testCounts(fashion));
        // mnist package class sizes; 20% shares 200.2, 225.4, 198.2, 206.4, 196, 172.6, 202.8, 214, 188.8, 195.6:
        // floors sum to 1996, the 4 extra go to the largest fractions .8 (6), .8 (8), .6 (5), .6 (9)
        int[] mnist = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 173, 203, 214, 189, 196},
                NpmImportSpec.mnist().split().testCounts(mnist));
    }
}
