package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFilesTest {

    private static final List<String> TEN = DatasetCatalog.MNIST_CLASSES;

    @TempDir
    Path dir;

    private static byte[] pixels(int count, int rows, int cols) {
        byte[] p = new byte[count * rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 37 + 11);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRoundTripImagesAndLabels(boolean gzip) {
        byte[] px = pixels(3, 2, 4);
        byte[] labels = {7, 0, 9};
        Path images = dir.resolve("img");
        Path lab = dir.resolve("lab");
        IdxFiles.writeImages(images, 3, 2, 4, px, gzip);
        IdxFiles.writeLabels(lab, labels, gzip);
        IdxFiles.IdxImages read = IdxFiles.readImages(images);
        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(4, read.cols());
        assertArrayEquals(px, read.pixels());
        assertArrayEquals(labels, IdxFiles.readLabels(lab));

        ArrayDataset ds = IdxFiles.readDataset(images, lab, "mnist", "train", TEN);
        assertEquals(3, ds.size());
        assertEquals(9, ds.label(2));
        Example e = ds.get(1);
        assertEquals("mnist/train/000001", e.sampleId());
        assertEquals((px[8] & 0xFF) / 255f, e.image().at(0, 0, 0), 1e-7);
    }

    @Test
    void shouldWritePlainHeaderBigEndian() throws IOException {
        Path images = dir.resolve("img");
        IdxFiles.writeImages(images, 1, 2, 2, new byte[] {1, 2, 3, 4}, false);
        byte[] raw = Files.readAllBytes(images);
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertEquals(0x00000803, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(20, raw.length);
    }

    @Test
    void shouldRejectWrongMagicNamingTheFile() {
        Path lab = dir.resolve("labels-as-images");
        IdxFiles.writeLabels(lab, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFiles.readImages(lab));
        assertEquals(lab.toString(), e.file());
        assertTrue(e.getMessage().contains("wrong magic 0x00000801"), e.getMessage());
    }

    @Test
    void shouldNameFirstIncompleteImageWhenTruncated() throws IOException {
        Path images = dir.resolve("img");
        IdxFiles.writeImages(images, 5, 2, 2, pixels(5, 2, 2), false);
        byte[] raw = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(raw, raw.length - 6));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFiles.readImages(images));
        assertEquals(images.toString(), e.file());
        assertEquals(3, e.index());
        assertTrue(e.reason().contains("truncated"), e.reason());
    }

    @Test
    void shouldReportTruncatedGzip() throws IOException {
        Path images = dir.resolve("img.gz");
        IdxFiles.writeImages(images, 50, 4, 4, pixels(50, 4, 4), true);
        byte[] raw = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(raw, raw.length / 2));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFiles.readImages(images));
        assertEquals(images.toString(), e.file());
        assertTrue(e.reason().contains("gzip"), e.reason());
    }

    @Test
    void shouldRejectCountMismatchBetweenImagesAndLabels() {
        Path images = dir.resolve("img");
        Path lab = dir.resolve("lab");
        IdxFiles.writeImages(images, 3, 2, 2, pixels(3, 2, 2), false);
        IdxFiles.writeLabels(lab, new byte[] {1, 2}, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxFiles.readDataset(images, lab, "mnist", "train", TEN));
        assertEquals(lab.toString(), e.file());
        assertEquals(2, e.index());
        assertTrue(e.reason().contains("2 labels") && e.reason().contains("3 images"), e.reason());
    }

    @Test
    void shouldRejectLabelOutOfRangeNamingIndex() {
        Path images = dir.resolve("img");
        Path lab = dir.resolve("lab.gz");
        IdxFiles.writeImages(images, 4, 2, 2, pixels(4, 2, 2), false);
        IdxFiles.writeLabels(lab, new byte[] {1, 2, 10, 3}, true);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxFiles.readDataset(images, lab, "mnist", "test", TEN));
        assertEquals(lab.toString(), e.file());
        assertEquals(2, e.index());
        assertTrue(e.reason().contains("label 10"), e.reason());
    }

    @Test
    void shouldRejectHeaderShorterThanExpected() throws IOException {
        Path lab = dir.resolve("lab");
        Files.write(lab, new byte[] {0, 0, 8});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFiles.readLabels(lab));
        assertTrue(e.reason().contains("header"), e.reason());
    }
}
