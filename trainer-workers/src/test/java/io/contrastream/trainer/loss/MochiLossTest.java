package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MochiLossTest {

    @Test
    void shouldMixTheTwoHardestNegativesWithSeededWeights() {
        // Queries are view-0 rows. Sample 0: q=(1,0); other-sample rows r1 (cos 0), r3 (cos .8) -> hardest [r3, r1].
        // Sample 1: q=(0,1); other-sample rows r0 (cos 0), r2 (cos .8) -> hardest [r2, r0].
        // With hardest=2, synthetic=1: j = nextInt(2), k' = nextInt(1) = 0 -> k = (k' >= j ? k'+1 : k'), alpha = nextFloat().
        // Synthetic negative = normalize(alpha h_j + (1-alpha) h_k), appended to InfoNCE's partition function.
        double[][][] hardest = {{{0.8, 0.6}, {0, 1}}, {{0.6, 0.8}, {1, 0}}};
        Random random = new Random(11);
        float[] expectedNegatives = new float[4];
        for (int i = 0; i < 2; i++) {
            int j = random.nextInt(2);
            int k0 = random.nextInt(1);
            int k = k0 >= j ? k0 + 1 : k0;
            double alpha = random.nextFloat();
            double x = alpha * hardest[i][j][0] + (1 - alpha) * hardest[i][k][0];
            double y = alpha * hardest[i][j][1] + (1 - alpha) * hardest[i][k][1];
            double norm = Math.sqrt(x * x + y * y);
            expectedNegatives[2 * i] = (float) (x / norm);
            expectedNegatives[2 * i + 1] = (float) (y / norm);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput plain = input(twoByTwo(manager), 2).build();
            float expected = new InfoNceLoss(0.5f).compute(
                    plain.toBuilder().optNegatives(manager.create(expectedNegatives, new ai.djl.ndarray.types.Shape(2, 1, 2))).build()).getFloat();
            float actual = new MochiLoss(new InfoNceLoss(0.5f), 2, 1, 0, 11).compute(plain).getFloat();
            assertEquals(expected, actual, TOLERANCE);
            assertTrue(actual > new InfoNceLoss(0.5f).compute(plain).getFloat(), "extra negatives raise the loss");
        }
    }

    @Test
    void shouldBeReproducibleForASeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(manager.randomNormal(new ai.djl.ndarray.types.Shape(16, 4)), 2).build();
            float a = new MochiLoss(new InfoNceLoss(0.2f), 4, 3, 2, 99).compute(in).getFloat();
            float b = new MochiLoss(new InfoNceLoss(0.2f), 4, 3, 2, 99).compute(in).getFloat();
            assertEquals(a, b, 0f);
        }
    }

    @Test
    void shouldRefuseMoreHardestThanTheBatchHolds() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).build();
            assertThrows(IllegalArgumentException.class,
                    () -> new MochiLoss(new InfoNceLoss(0.5f), 3, 1, 0, 1).compute(in));
        }
    }
}
