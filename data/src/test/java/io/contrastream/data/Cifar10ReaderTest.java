package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {

    @TempDir
    Path dir;

    /** Record r: label r % 10; pixel p of the record has value (r + p) % 256. */
    private static byte[] batch(int records, int firstRecord) {
        byte[] b = new byte[records * Cifar10Reader.RECORD];
        for (int r = 0; r < records; r++) {
            int g = firstRecord + r;
            b[r * Cifar10Reader.RECORD] = (byte) (g % 10);
            for (int p = 0; p < Cifar10Reader.PIXELS; p++) {
                b[r * Cifar10Reader.RECORD + 1 + p] = (byte) ((g + p) % 256);
            }
        }
        return b;
    }

    @Test
    void shouldReadChannelPlanarRecordsAcrossBatches() throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        Files.write(a, batch(2, 0));
        Files.write(b, batch(1, 2));
        ArrayDataset ds = Cifar10Reader.read(List.of(a, b), "cifar10", "train");
        assertEquals(3, ds.size());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.height());
        assertEquals(2, ds.label(2));
        Image img = ds.get(2).image();
        // green plane (c=1), row 1, column 3 -> flat pixel 1024 + 32 + 3 = 1059; value (2 + 1059) % 256 = 37
        assertEquals(37 / 255f, img.at(1, 1, 3), 1e-7);
        assertEquals("cifar10/train/000002", ds.get(2).sampleId());
    }

    @Test
    void shouldReadTestSplitFromDirectory() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), batch(4, 0));
        assertEquals(4, Cifar10Reader.read(dir, "test").size());
    }

    @Test
    void shouldRejectTruncatedBatchNamingRecord() throws IOException {
        Path a = dir.resolve("data_batch_1.bin");
        byte[] full = batch(3, 0);
        Files.write(a, java.util.Arrays.copyOf(full, full.length - 10));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.read(List.of(a), "cifar10", "train"));
        assertEquals(a.toString(), e.file());
        assertEquals(2, e.index());
    }

    @Test
    void shouldRejectLabelOutOfRange() throws IOException {
        Path a = dir.resolve("x.bin");
        byte[] b = batch(3, 0);
        b[Cifar10Reader.RECORD] = 12;
        Files.write(a, b);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Reader.read(List.of(a), "cifar10", "test"));
        assertEquals(1, e.index());
        assertTrue(e.reason().contains("label 12"), e.reason());
    }
}
