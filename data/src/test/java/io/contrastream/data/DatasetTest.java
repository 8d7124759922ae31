package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void shouldFormatSampleIdsAsTheZeroPaddedPattern() {
        int[] indices = {0, 1, 9, 10, 99_999, 100_000, 999_999, 1_000_000, 12_345_678, Integer.MAX_VALUE, -1, -12,
            -123_456, Integer.MIN_VALUE};
        for (int i : indices) {
            assertEquals("fashion-mnist/train/" + String.format("%06d", i),
                    Dataset.sampleId("fashion-mnist", "train", i), "index " + i);
        }
        for (int i = 0; i < 200_000; i += 7) {
            assertEquals("d/s/" + String.format("%06d", i), Dataset.sampleId("d", "s", i));
        }
        assertEquals("mnist/test/000042", Dataset.sampleId("mnist", "test", 42));
    }

    @Test
    void shouldKeepEveryEightBitValueOfAnArrayDatasetInTheUnitRangeItDeclares() {
        // the ViewProducer skips Image.checkRange for datasets declaring imagesInUnitRange(), so the declaration
        // must hold for every byte, including 255 * (1f / 255f)
        byte[] pixels = new byte[256];
        for (int v = 0; v < 256; v++) {
            pixels[v] = (byte) v;
        }
        ArrayDataset ds = new ArrayDataset("bytes", "train", List.of("a", "b"), 1, 16, 16, pixels, new byte[] {1});
        assertTrue(ds.imagesInUnitRange());
        Image image = ds.get(0).image();
        image.checkRange();
        assertEquals(0f, image.pixels()[0]);
        assertTrue(image.pixels()[255] <= 1f);
        assertFalse(new SyntheticShapes("train", 4, 1, 8, 8, 0L).imagesInUnitRange());
    }
}
