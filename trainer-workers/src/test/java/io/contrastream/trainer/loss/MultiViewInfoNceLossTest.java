package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class MultiViewInfoNceLossTest {

    @Test
    void shouldMatchHandComputedThreeViewCase() {
        // N=2, V=3, tau=1, rows: 0 s0v0 (1,0); 1 s1v0 (0,1); 2 s0v1 (.6,.8); 3 s1v1 (.8,.6); 4 s0v2 (1,0); 5 s1v2 (0,1)
        // a0 P={2,4}: -(.6+1)/2 + ln(e^0 + e^.6 + e^.8 + e^1 + e^0)
        // a1 P={3,5}: -(.6+1)/2 + ln(e^0 + e^.8 + e^.6 + e^0 + e^1)
        // a2 P={0,4}: -(.6+.6)/2 + ln(e^.6 + e^.8 + e^.96 + e^.6 + e^.8)
        // a3 P={1,5}: -(.6+.6)/2 + ln(e^.8 + e^.6 + e^.96 + e^.8 + e^.6)
        // a4 P={0,2}: -(1+.6)/2 + ln(e^1 + e^0 + e^.6 + e^.8 + e^0)
        // a5 P={1,3}: -(1+.6)/2 + ln(e^0 + e^1 + e^.8 + e^.6 + e^0)
        double outer = -0.8 + ln(2 * e(0) + e(0.6) + e(0.8) + e(1));
        double middle = -0.6 + ln(2 * e(0.6) + 2 * e(0.8) + e(0.96));
        double expected = (4 * outer + 2 * middle) / 6;
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(manager.create(new float[][] {{1, 0}, {0, 1}, {0.6f, 0.8f}, {0.8f, 0.6f}, {1, 0},
                {0, 1}}), 3).build();
            assertEquals(expected, new MultiViewInfoNceLoss(1f).compute(in).getFloat(), TOLERANCE);
        }
    }

    @Test
    void shouldEqualInfoNceForTwoViews() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).build();
            assertEquals(new InfoNceLoss(0.5f).compute(in).getFloat(),
                    new MultiViewInfoNceLoss(0.5f).compute(in).getFloat(), TOLERANCE);
        }
    }
}
