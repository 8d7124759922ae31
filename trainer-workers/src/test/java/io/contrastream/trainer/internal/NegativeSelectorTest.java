package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NegativeSelectorTest {
    /** Samples c0..c5 with label i % 3, one pixel of value i each (sample size 1). */
    private static NegativeCache cache() {
        NegativeCache cache = new NegativeCache(100);
        for (int i = 0; i < 6; i++) {
            cache.put("c" + i, i % 3, new float[] {i});
        }
        return cache;
    }

    private static final Map<String, Long> LABEL = Map.of("c0", 0L, "c1", 1L, "c2", 2L, "c3", 0L, "c4", 1L, "c5", 2L);

    @Test
    void shouldTakeCachedMinedCandidatesFirstInTheirOrderSkippingSelfSameLabelAndUncached() {
        // row 0 is c1 (label 1): candidates c1 (itself), x9 (not cached), c4 (label 1), c5, c0 -> c5, c0 mined
        // row 1 is an uncached sample q of label 0 with candidates c2, c5, c1: the first two only (M = 2)
        NegativeSelector.Selection selection = NegativeSelector.select(new long[] {1, 0}, List.of("c1", "q"),
                List.of(List.of("c1", "x9", "c4", "c5", "c0"), List.of("c2", "c5", "c1")), cache(), 2, 1, 42);
        NegativeSelector.Selection.Chosen chosen = assertInstanceOf(NegativeSelector.Selection.Chosen.class,
                selection);
        assertEquals(List.of(List.of("c5", "c0"), List.of("c2", "c5")), chosen.ids());
        assertEquals(4, chosen.mined());
        assertEquals(0, chosen.filled());
        // sample-major pixels: row 0's two negatives, then row 1's
        assertEquals(List.of(5f, 0f, 2f, 5f), boxed(chosen.pixels()));
    }

    @Test
    void shouldFillTheRestWithDistinctCachedSamplesOfAnotherLabel() {
        // row 0 (c0, label 0) has one usable mined candidate (c4) and needs 3 more: the only other-label samples
        // are c1, c2, c4, c5, so the fills are exactly c1, c2, c5 in some order
        NegativeSelector.Selection selection = NegativeSelector.select(new long[] {0, 2}, List.of("c0", "c2"),
                List.of(List.of("c4"), List.of()), cache(), 4, 1, 7);
        NegativeSelector.Selection.Chosen chosen = assertInstanceOf(NegativeSelector.Selection.Chosen.class,
                selection);
        assertEquals("c4", chosen.ids().get(0).get(0), "mined first");
        assertEquals(new HashSet<>(List.of("c1", "c2", "c4", "c5")), new HashSet<>(chosen.ids().get(0)));
        assertEquals(new HashSet<>(List.of("c0", "c1", "c3", "c4")), new HashSet<>(chosen.ids().get(1)));
        assertEquals(1, chosen.mined());
        assertEquals(7, chosen.filled());
        for (int row = 0; row < 2; row++) {
            for (int j = 0; j < 4; j++) {
                String id = chosen.ids().get(row).get(j);
                assertEquals((float) Integer.parseInt(id.substring(1)), chosen.pixels()[row * 4 + j], id);
            }
        }
    }

    @Test
    void shouldDrawFillsDeterministicallyFromTheSeedAndNeverOfTheRowsLabel() {
        NegativeCache cache = new NegativeCache(1000);
        for (int i = 0; i < 300; i++) {
            cache.put("s" + i, i % 5, new float[] {i});
        }
        long[] labels = {0, 1, 2, 3, 4, 0};
        List<String> rows = List.of("s0", "s1", "s2", "s3", "s4", "s5");
        List<List<String>> mined = List.of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        var a = (NegativeSelector.Selection.Chosen) NegativeSelector.select(labels, rows, mined, cache, 8, 1, 11);
        var b = (NegativeSelector.Selection.Chosen) NegativeSelector.select(labels, rows, mined, cache, 8, 1, 11);
        var c = (NegativeSelector.Selection.Chosen) NegativeSelector.select(labels, rows, mined, cache, 8, 1, 12);
        assertEquals(a.ids(), b.ids(), "same seed and cache, same negatives");
        assertNotEquals(a.ids(), c.ids(), "another step draws others");
        for (int row = 0; row < labels.length; row++) {
            assertEquals(8, new HashSet<>(a.ids().get(row)).size(), "distinct");
            for (String id : a.ids().get(row)) {
                assertNotEquals(labels[row], Integer.parseInt(id.substring(1)) % 5, id + " for row " + row);
            }
        }
    }

    @Test
    void shouldGiveReplayedRowsWithoutAnIdDrawnNegatives() {
        List<String> rows = new java.util.ArrayList<>();
        rows.add(null);
        NegativeSelector.Selection.Chosen chosen = assertInstanceOf(NegativeSelector.Selection.Chosen.class,
                NegativeSelector.select(new long[] {2}, rows, List.of(List.of()), cache(), 3, 1, 1));
        assertEquals(3, chosen.filled());
        chosen.ids().get(0).forEach(id -> assertNotEquals(2L, LABEL.get(id)));
    }

    @Test
    void shouldGiveTheBatchNoNegativesWhenAnyRowCannotGetM() {
        // label 0 has c1, c2, c4, c5 of other labels (4), so M = 4 works for it; a row of label 7 has all 6;
        // M = 5 fails for row 0 although row 1 could get it
        assertInstanceOf(NegativeSelector.Selection.Chosen.class, NegativeSelector.select(new long[] {0, 7},
                List.of("a", "b"), List.of(List.of(), List.of()), cache(), 4, 1, 3));
        NegativeSelector.Selection none = NegativeSelector.select(new long[] {7, 0}, List.of("a", "b"),
                List.of(List.of(), List.of()), cache(), 5, 1, 3);
        assertTrue(assertInstanceOf(NegativeSelector.Selection.None.class, none).reason().contains("fewer than 5"));
        assertInstanceOf(NegativeSelector.Selection.None.class, NegativeSelector.select(null, List.of("a"),
                List.of(List.of()), cache(), 1, 1, 3), "an unlabelled batch gets none");
        assertInstanceOf(NegativeSelector.Selection.None.class, NegativeSelector.select(new long[] {-1},
                List.of("a"), List.of(List.of()), cache(), 1, 1, 3), "a row without a label: none");
    }

    private static List<Float> boxed(float[] values) {
        List<Float> out = new java.util.ArrayList<>();
        for (float v : values) {
            out.add(v);
        }
        return out;
    }
}
