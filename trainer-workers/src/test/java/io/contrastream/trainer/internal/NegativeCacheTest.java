package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegativeCacheTest {
    @Test
    void shouldEvictTheLeastRecentlyTrainedSampleBeyondCapacity() {
        NegativeCache cache = new NegativeCache(3);
        cache.put("a", 0, new float[] {1});
        cache.put("b", 1, new float[] {2});
        cache.put("c", 0, new float[] {3});
        cache.put("a", 0, new float[] {4}); // trained again: now the most recent, with its new pixels
        cache.put("d", 2, new float[] {5}); // evicts b
        assertEquals(3, cache.size());
        assertTrue(cache.get("b").isEmpty());
        assertEquals(4f, cache.get("a").orElseThrow().pixels()[0]);
        assertEquals(1, cache.countOtherThan(0), "only d has a label other than 0");
        assertEquals(3, cache.countOtherThan(1));
        assertEquals("d", cache.otherThan(0, 0).sampleId());
    }

    @Test
    void shouldEnumerateEveryOtherLabelSampleExactlyOnceByIndex() {
        NegativeCache cache = new NegativeCache(10);
        for (int i = 0; i < 15; i++) {
            cache.put("s" + i, i % 4, new float[] {i});
        }
        // s5..s14 remain; other than label 1: all but s5, s9, s13
        List<String> others = new ArrayList<>();
        for (int k = 0; k < cache.countOtherThan(1); k++) {
            others.add(cache.otherThan(1, k).sampleId());
        }
        assertEquals(7, others.size());
        assertEquals(List.of("s6", "s7", "s8", "s10", "s11", "s12", "s14").stream().sorted().toList(),
                others.stream().sorted().toList());
        assertThrows(IndexOutOfBoundsException.class, () -> cache.otherThan(1, 7));
        assertThrows(IllegalArgumentException.class, () -> cache.put("u", -1, new float[] {0}));
    }
}
