package io.contrastream.trainer.loss;

import static io.contrastream.trainer.loss.LossFixtures.TOLERANCE;
import static io.contrastream.trainer.loss.LossFixtures.e;
import static io.contrastream.trainer.loss.LossFixtures.input;
import static io.contrastream.trainer.loss.LossFixtures.ln;
import static io.contrastream.trainer.loss.LossFixtures.twoByTwo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class RelationDistillationLossTest {
    // kappa = kappa* = 1. Teacher rows t0=(1,0), t1=(0,1), t2=(1,0), t3=(0,1): each row's past relation puts
    // e/(2+e) on its own sample's other view and 1/(2+e) on the two others.
    // sum_j p log p_cur = sum_j p d_ij - lse_i (sum p = 1):
    // i0 (j=1,2,3: d=0,.6,.8; teacher peak j=2): ln(1+e^.6+e^.8) - (0 + e*.6 + .8)/(2+e)
    // i1 (j=0,2,3: d=0,.8,.6; peak j=3):         ln(1+e^.8+e^.6) - (0 + .8 + e*.6)/(2+e)
    // i2 (j=0,1,3: d=.6,.8,.96; peak j=0):       ln(e^.6+e^.8+e^.96) - (e*.6 + .8 + .96)/(2+e)
    // i3 (j=0,1,2: d=.8,.6,.96; peak j=1):       ln(e^.8+e^.6+e^.96) - (.8 + e*.6 + .96)/(2+e)
    static final double E = Math.E;
    static final double IRD = (2 * (ln(1 + e(0.6) + e(0.8)) - (E * 0.6 + 0.8) / (2 + E))
            + 2 * (ln(e(0.6) + e(0.8) + e(0.96)) - (E * 0.6 + 0.8 + 0.96) / (2 + E))) / 4;

    @Test
    void shouldMatchHandComputedRelationDistillation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = manager.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
            RelationDistillationLoss loss = new RelationDistillationLoss(new InfoNceLoss(0.5f), 0.5f, 1f, 1f);
            assertEquals(IRD, loss.distillation(twoByTwo(manager), teacher).getFloat(), TOLERANCE);

            LossInput in = input(twoByTwo(manager), 2).optTeacherProjections(teacher).build();
            float base = new InfoNceLoss(0.5f).compute(in).getFloat();
            assertEquals(base + 0.5 * IRD, loss.compute(in).getFloat(), TOLERANCE);
        }
    }

    @Test
    void shouldReturnBaseLossWithoutTeacher() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossInput in = input(twoByTwo(manager), 2).build();
            assertEquals(new InfoNceLoss(0.5f).compute(in).getFloat(),
                    new RelationDistillationLoss(new InfoNceLoss(0.5f), 1f, 0.2f, 0.01f).compute(in).getFloat(),
                    TOLERANCE);
        }
    }
}
