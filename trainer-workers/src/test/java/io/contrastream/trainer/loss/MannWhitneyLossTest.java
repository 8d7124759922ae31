package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.softplus;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MannWhitneyLossTest {

    @Test
    void shouldAverageLogisticLossOverPositiveNegativePairs() {
        // tau=0.5; terms softplus(s_an - s_ap), 2 negatives (other sample's rows) per anchor, 8 pairs:
        // a0: p s02=1.2, n s01=0, s03=1.6 -> softplus(-1.2) + softplus(0.4)
        // a1: p s13=1.2, n s10=0, s12=1.6 -> softplus(-1.2) + softplus(0.4)
        // a2: p s20=1.2, n s21=1.6, s23=1.92 -> softplus(0.4) + softplus(0.72)
        // a3: p s31=1.2, n s30=1.6, s32=1.92 -> softplus(0.4) + softplus(0.72)
        double expected = (2 * softplus(-1.2) + 4 * softplus(0.4) + 2 * softplus(0.72)) / 8;
        try (NDManager manager = NDManager.newBaseManager()) {
            float loss = new MannWhitneyLoss(0.5f).compute(input(twoByTwo(manager), 2).build()).getFloat();
            assertEquals(expected, loss, TOLERANCE);
        }
    }

    @Test
    void shouldIncludeExplicitNegatives() {
        // as above plus one explicit negative per sample: logits a0: 0, a1: 0, a2: 1.6, a3: 1.6 (see InfoNceLossTest)
        // adds softplus(0-1.2) for a0,a1 and softplus(1.6-1.2) for a2,a3; 12 pairs
        double expected = (4 * softplus(-1.2) + 6 * softplus(0.4) + 2 * softplus(0.72)) / 12;
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2)
                    .optNegatives(manager.create(new float[] {0f, 2f, 1f, 0f}, new Shape(2, 1, 2))).build();
            assertEquals(expected, new MannWhitneyLoss(0.5f).compute(in).getFloat(), TOLERANCE);
        }
    }
}
