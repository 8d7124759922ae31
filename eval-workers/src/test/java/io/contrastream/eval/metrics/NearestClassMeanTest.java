package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NearestClassMeanTest {

    // class 1: (2,0),(0,2) -> normalised (1,0),(0,1) -> mean (.5,.5) -> unit (.7071,.7071)
    // class 2: (-3,0) -> (-1,0)
    private static final float[][] EXEMPLARS = {{2, 0}, {0, 2}, {-3, 0}};
    private static final int[] LABELS = {1, 1, 2};

    @Test
    void shouldUseUnitMeansOfNormalisedExemplars() {
        NearestClassMean nme = NearestClassMean.fit(EXEMPLARS, LABELS);
        assertArrayEquals(new float[] {0.70710677f, 0.70710677f}, nme.mean(1), 1e-6f);
        assertArrayEquals(new float[] {-1, 0}, nme.mean(2), 1e-6f);
    }

    @Test
    void shouldPredictNearestMeanAndScorePerTask() {
        // (1,0.1): class1 .707*(1.1)/1.005 = .774, class2 -.995 -> 1 (correct)
        // (-1,1) -> (-.707,.707): class1 0, class2 .707 -> 2 (label 1: wrong)
        // (0.1,-1) -> (.0995,-.995): class1 .707*(-.8955) = -.633, class2 -.0995 -> 2 (correct)
        // all: 2/3. task {1}: samples 0,1 -> 1/2. task {2}: sample 2 -> 1/1.
        NearestClassMean nme = NearestClassMean.fit(EXEMPLARS, LABELS);
        float[][] test = {{1, 0.1f}, {-1, 1}, {0.1f, -1}};
        int[] y = {1, 1, 2};
        NearestClassMean.Result all = nme.evaluate(test, y);
        assertArrayEquals(new int[] {1, 2, 2}, all.predictions());
        assertEquals(2.0 / 3, all.accuracy(), 1e-12);
        assertEquals(0.5, nme.evaluateTask(test, y, new int[] {1}).accuracy(), 1e-12);
        assertEquals(2, nme.evaluateTask(test, y, new int[] {1}).scored());
        assertEquals(1.0, nme.evaluateTask(test, y, new int[] {2}).accuracy(), 1e-12);
    }
}
