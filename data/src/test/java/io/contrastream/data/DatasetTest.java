package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
