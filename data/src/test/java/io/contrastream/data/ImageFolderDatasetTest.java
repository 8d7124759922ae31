package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(ImageFolderDatasetTest.class.getResource("/image-folder").toURI());
    }

    @Test
    void shouldLabelByClassFolderSortedByName() throws Exception {
        ImageFolderDataset ds = ImageFolderDataset.open(fixture());
        assertEquals(List.of("ant", "bee", "cat"), ds.classNames());
        assertEquals(5, ds.size());
        assertEquals("image-folder", ds.name());
        // index order: ant/01 (k=4), ant/02 (k=1), bee/a (k=3), cat/00 (k=2), cat/01 (k=0)
        int[] expectedK = {4, 1, 3, 2, 0};
        int[] expectedLabel = {0, 0, 1, 2, 2};
        for (int i = 0; i < 5; i++) {
            Example e = ds.get(i);
            assertEquals(expectedLabel[i], e.label());
            assertEquals(expectedLabel[i], ds.label(i));
            assertEquals("image-folder/train/" + String.format("%06d", i), e.sampleId());
            assertArrayEquals(TinyPngs.image(expectedK[i]).pixels(), e.image().pixels(), 1e-6f);
        }
        assertEquals(1, ds.channels());
        assertEquals(4, ds.height());
        assertEquals(4, ds.width());
        assertEquals("image/png", ds.mediaType(0));
        assertArrayEquals(Files.readAllBytes(ds.file(2)), ds.encoded(2));
    }

    @Test
    void shouldNameTheFileOfAnImageWithAnotherSize(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/0.png"), ImageCodec.encodePng(TinyPngs.image(0)));
        Files.write(dir.resolve("a/1.png"), ImageCodec.encodePng(new Image(1, 2, 2, new float[4])));
        ImageFolderDataset ds = ImageFolderDataset.open(dir);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ds.get(1));
        assertTrue(e.getMessage().contains("1.png"), e.getMessage());
        assertEquals(1, e.index());
    }

    @Test
    void shouldRejectUndecodableFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/0.png"), new byte[] {1, 2, 3});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageFolderDataset.open(dir));
        assertTrue(e.getMessage().contains("0.png"), e.getMessage());
    }

    @Test
    void shouldRoundTripRgbPng() {
        float[] px = new float[12];
        for (int i = 0; i < 12; i++) {
            px[i] = (i * 20) / 255f;
        }
        Image rgb = new Image(3, 2, 2, px);
        assertArrayEquals(px, ImageCodec.decode(ImageCodec.encodePng(rgb)).pixels(), 1e-6f);
    }
}
