package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DecoupledContrastiveLossTest {

    @Test
    void shouldRemoveThePositiveFromTheDenominator() {
        // tau=0.5; a: -s_{a,p} + ln sum_{k != a, p} exp(s_ak)
        // a0 (p=2, k in {1,3}): -1.2 + ln(e^0 + e^1.6); a1 (p=3, k in {0,2}): -1.2 + ln(e^0 + e^1.6)
        // a2 (p=0, k in {1,3}): -1.2 + ln(e^1.6 + e^1.92); a3 (p=1, k in {0,2}): -1.2 + ln(e^1.6 + e^1.92)
        double expected = (2 * (-1.2 + ln(e(0) + e(1.6))) + 2 * (-1.2 + ln(e(1.6) + e(1.92)))) / 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            float loss = new DecoupledContrastiveLoss(0.5f).compute(input(twoByTwo(manager), 2).build()).getFloat();
            assertEquals(expected, loss, TOLERANCE);
        }
    }
}
