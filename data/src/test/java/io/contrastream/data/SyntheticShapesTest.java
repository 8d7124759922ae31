package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticShapesTest {

    @Test
    void shouldProduceIdenticalBytesForSameSeed() {
        SyntheticShapes a = new SyntheticShapes("train", 50, 3, 32, 32, 7L);
        SyntheticShapes b = new SyntheticShapes("train", 50, 3, 32, 32, 7L);
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(a.get(i).image().toFloat32LE(), b.get(i).image().toFloat32LE(), "image " + i);
            assertEquals(a.label(i), b.get(i).label());
        }
    }

    @Test
    void shouldDifferAcrossSeedsAndSplits() {
        Image a = new SyntheticShapes("train", 5, 1, 28, 28, 1L).get(3).image();
        Image b = new SyntheticShapes("train", 5, 1, 28, 28, 2L).get(3).image();
        Image c = new SyntheticShapes("test", 5, 1, 28, 28, 1L).get(3).image();
        assertFalse(Arrays.equals(a.pixels(), b.pixels()));
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
    }

    @Test
    void shouldBalanceClassesAndStayInRange() {
        SyntheticShapes ds = new SyntheticShapes("train", 100, 1, 28, 28, 0L);
        int[] counts = new int[10];
        for (int i = 0; i < ds.size(); i++) {
            counts[ds.label(i)]++;
            ds.get(i).image().checkRange();
        }
        for (int c : counts) {
            assertEquals(10, c);
        }
        assertEquals("synthetic/train/000042", ds.get(42).sampleId());
    }

    /** Nearest class-mean on raw pixels, fitted on 400 train images, must beat chance (10%) by a wide margin. */
    @Test
    void shouldBeLinearlySeparableEnoughForNearestMean() {
        SyntheticShapes train = new SyntheticShapes("train", 400, 1, 28, 28, 3L);
        SyntheticShapes test = new SyntheticShapes("test", 200, 1, 28, 28, 3L);
        int n = 28 * 28;
        float[][] mean = new float[10][n];
        for (int i = 0; i < train.size(); i++) {
            float[] p = train.get(i).image().pixels();
            for (int j = 0; j < n; j++) {
                mean[train.label(i)][j] += p[j] / 40f;
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] p = test.get(i).image().pixels();
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double d = 0;
                for (int j = 0; j < n; j++) {
                    d += (p[j] - mean[c][j]) * (p[j] - mean[c][j]);
                }
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 60, "nearest-mean accuracy " + correct + "/200");
    }
}
