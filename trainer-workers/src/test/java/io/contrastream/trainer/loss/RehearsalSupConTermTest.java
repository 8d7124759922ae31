package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class RehearsalSupConTermTest {
    // tau = 0.5 on LossFixtures.twoByTwo (s01=0, s02=1.2, s03=1.6, s12=1.6, s13=1.2, s23=1.92).
    // InfoNCE, positives s02 (rows 0, 2) and s13 (rows 1, 3):
    //   r0: ln(e^0 + e^1.2 + e^1.6) - 1.2      r1: ln(e^0 + e^1.6 + e^1.2) - 1.2
    //   r2: ln(e^1.2 + e^1.6 + e^1.92) - 1.2   r3: ln(e^1.6 + e^1.2 + e^1.92) - 1.2
    static final double INFONCE = (ln(e(0) + e(1.2) + e(1.6)) + ln(e(1.2) + e(1.6) + e(1.92))) / 2 - 1.2;
    // Labels {5, 5}, sample 0 replayed: SupCon anchors are rows 0 and 2 only, every other row a positive:
    //   l0 = -(0 + 1.2 + 1.6)/3 + ln(e^0 + e^1.2 + e^1.6)
    //   l2 = -(1.2 + 1.6 + 1.92)/3 + ln(e^1.2 + e^1.6 + e^1.92)
    static final double REHEARSAL = (-2.8 / 3 + ln(e(0) + e(1.2) + e(1.6))
            + -4.72 / 3 + ln(e(1.2) + e(1.6) + e(1.92))) / 2;

    @Test
    void shouldAddTheWeightedSupConTermOfTheReplayedSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).optLabels(new long[] {5, 5})
                    .optRehearsalMask(new boolean[] {true, false}).build();
            assertEquals(INFONCE, new InfoNceLoss(0.5f).compute(in).getFloat(), TOLERANCE);
            assertEquals(INFONCE + 0.25 * REHEARSAL,
                    new RehearsalSupConTerm(new InfoNceLoss(0.5f), 0.25f, 0.5f).compute(in).getFloat(), TOLERANCE);
        }
    }

    @Test
    void shouldBeBuiltFromLossParametersWithTheLossTemperatureByDefault() {
        LossConfig config = new LossConfig("infonce", 0.5f, java.util.Map.of("rehearsal.weight", "0.25"));
        assertTrue(config.usesRehearsalMask());
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).optLabels(new long[] {5, 5})
                    .optRehearsalMask(new boolean[] {true, false}).build();
            assertEquals(INFONCE + 0.25 * REHEARSAL, Losses.create(config).compute(in).getFloat(), TOLERANCE);
            LossConfig hotter = new LossConfig("infonce", 0.5f,
                    java.util.Map.of("rehearsal.weight", "0.25", "rehearsal.temperature", "1"));
            // at tau = 1 every logit halves: l0 = -(0 + .6 + .8)/3 + ln(1 + e^.6 + e^.8), l2 likewise
            double rehearsalAtOne = (-1.4 / 3 + ln(e(0) + e(0.6) + e(0.8)) - 2.36 / 3
                    + ln(e(0.6) + e(0.8) + e(0.96))) / 2;
            assertEquals(INFONCE + 0.25 * rehearsalAtOne, Losses.create(hotter).compute(in).getFloat(), TOLERANCE);
        }
        assertEquals("rehearsal.*", assertThrows(InvalidLossConfigException.class, () -> Losses.create(
                new LossConfig("infonce", 0.5f, java.util.Map.of("rehearsal.weight", "-1")))).field());
        assertEquals("rehearsal.weight", assertThrows(InvalidLossConfigException.class, () -> Losses.create(
                new LossConfig("infonce", 0.5f, java.util.Map.of("rehearsal.weight", "x")))).field());
        assertTrue(!LossConfig.of("infonce", 0.5f).usesRehearsalMask());
    }

    @Test
    void shouldTrainTheFirstTaskOnTheBaseLossAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // no sample replayed (first task): labels are not even needed
            LossInput in = input(twoByTwo(manager), 2).optRehearsalMask(new boolean[] {false, false}).build();
            assertEquals(INFONCE, new RehearsalSupConTerm(new InfoNceLoss(0.5f), 1f, 0.5f).compute(in).getFloat(),
                    TOLERANCE);
        }
    }

    @Test
    void shouldNameTheMissingInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RehearsalSupConTerm loss = new RehearsalSupConTerm(new InfoNceLoss(0.5f), 1f, 0.5f);
            IllegalArgumentException noMask = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(input(twoByTwo(manager), 2).build()));
            assertTrue(noMask.getMessage().contains("replay buffer"), noMask.getMessage());
            IllegalArgumentException noLabels = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(input(twoByTwo(manager), 2).optRehearsalMask(new boolean[] {true, false})
                            .build()));
            assertTrue(noLabels.getMessage().contains("labels"), noLabels.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new RehearsalSupConTerm(new InfoNceLoss(0.5f), -1f,
                    0.5f));
        }
    }
}
