package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * A contrastive objective over a batch of projections. Implementations are stateless apart from configuration (and,
 * for MoCHi, a seeded random generator) and return a scalar NDArray attached to the input's manager, differentiable
 * with respect to {@link LossInput#projections()}.
 *
 * <p>Row layout is view-major, see {@link LossInput}.
 */
public interface ContrastiveLoss {

    /** Computes the scalar loss (mean over contributing anchors). */
    NDArray compute(LossInput input);

    /** Whether this loss uses {@link LossInput#teacherProjections()} when present (Co2L distillation). */
    default boolean usesTeacher() {
        return false;
    }
}
