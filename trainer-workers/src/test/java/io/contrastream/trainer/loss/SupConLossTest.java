package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class SupConLossTest {
    // Both samples share label 5, so every other row is a positive. tau=0.5:
    // l0 = -(s01+s02+s03)/3 + ln(e^s01+e^s02+e^s03) = -(0+1.2+1.6)/3 + ln(e^0+e^1.2+e^1.6)
    // l1 = -(0+1.6+1.2)/3 + ln(e^0+e^1.6+e^1.2)
    // l2 = -(1.2+1.6+1.92)/3 + ln(e^1.2+e^1.6+e^1.92)
    // l3 = -(1.6+1.2+1.92)/3 + ln(e^1.6+e^1.2+e^1.92)
    static final double L0 = -2.8 / 3 + ln(e(0) + e(1.2) + e(1.6));
    static final double L2 = -4.72 / 3 + ln(e(1.2) + e(1.6) + e(1.92));

    @Test
    void shouldTreatSameLabelRowsAsPositives() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).optLabels(new long[] {5, 5}).build();
            assertEquals((2 * L0 + 2 * L2) / 4, new SupConLoss(0.5f).compute(in).getFloat(), TOLERANCE);
        }
    }

    @Test
    void shouldReduceToInfoNceWithDistinctLabels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).optLabels(new long[] {0, 1}).build();
            assertEquals(new InfoNceLoss(0.5f).compute(in).getFloat(), new SupConLoss(0.5f).compute(in).getFloat(),
                    TOLERANCE);
        }
    }

    @Test
    void shouldRequireLabels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).build();
            assertThrows(IllegalArgumentException.class, () -> new SupConLoss(0.5f).compute(in));
        }
    }

    @Test
    void shouldUseOnlyRehearsalAnchorsOrOnlyCurrentAnchors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // sample 0 is replayed: rows 0 and 2 are its anchors; sample 1 (rows 1, 3) is current.
            LossInput in = input(twoByTwo(manager), 2).optLabels(new long[] {5, 5})
                    .optRehearsalMask(new boolean[] {true, false}).build();
            double l1 = -2.8 / 3 + ln(e(0) + e(1.6) + e(1.2));
            double l3 = -4.72 / 3 + ln(e(1.6) + e(1.2) + e(1.92));
            assertEquals((L0 + L2) / 2, new RehearsalSupConLoss(0.5f, RehearsalSupConLoss.AnchorSet.REHEARSAL)
                    .compute(in).getFloat(), TOLERANCE);
            assertEquals((l1 + l3) / 2, new RehearsalSupConLoss(0.5f, RehearsalSupConLoss.AnchorSet.CURRENT)
                    .compute(in).getFloat(), TOLERANCE);
        }
    }
}
