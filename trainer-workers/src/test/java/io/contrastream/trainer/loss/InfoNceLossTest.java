package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class InfoNceLossTest {

    @Test
    void shouldMatchHandComputedNtXent() {
        // tau=0.5; anchor a: -s_{a,p(a)} + log sum_{k!=a} exp(s_ak)
        // a0 (p=r2): -1.2 + ln(e^0 + e^1.2 + e^1.6)
        // a1 (p=r3): -1.2 + ln(e^0 + e^1.6 + e^1.2)
        // a2 (p=r0): -1.2 + ln(e^1.2 + e^1.6 + e^1.92)
        // a3 (p=r1): -1.2 + ln(e^1.6 + e^1.2 + e^1.92)
        double expected = (2 * (-1.2 + ln(e(0) + e(1.2) + e(1.6))) + 2 * (-1.2 + ln(e(1.2) + e(1.6) + e(1.92)))) / 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            float loss = new InfoNceLoss(0.5f).compute(input(twoByTwo(manager), 2).build()).getFloat();
            assertEquals(expected, loss, TOLERANCE);
        }
    }

    @Test
    void shouldAppendExplicitHardNegativesToEveryPartitionFunction() {
        // negatives: sample0 -> (0,2) ~ (0,1); sample1 -> (1,0). Extra logits z_a.n_i/0.5:
        // a0: (1,0).(0,1)=0 -> 0; a2: (.6,.8).(0,1)=.8 -> 1.6; a1: (0,1).(1,0)=0 -> 0; a3: (.8,.6).(1,0)=.8 -> 1.6
        // a0,a1: -1.2 + ln(e^0 + e^1.2 + e^1.6 + e^0); a2,a3: -1.2 + ln(e^1.2 + e^1.6 + e^1.92 + e^1.6)
        double expected = (2 * (-1.2 + ln(e(0) + e(1.2) + e(1.6) + e(0)))
                + 2 * (-1.2 + ln(e(1.2) + e(1.6) + e(1.92) + e(1.6)))) / 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2)
                    .optNegatives(manager.create(new float[] {0f, 2f, 1f, 0f}, new Shape(2, 1, 2))).build();
            assertEquals(expected, new InfoNceLoss(0.5f).compute(in).getFloat(), TOLERANCE);
        }
    }

    @Test
    void shouldRefuseOtherThanTwoViews() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 4).build();
            assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(0.5f).compute(in));
        }
    }
}
