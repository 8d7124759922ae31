package io.contrastream.trainer.optim;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** Turns an {@link OptimizerConfig} into DJL's {@link Optimizer} and learning-rate {@link Tracker}. */
public final class Optimizers {
    private Optimizers() {
    }

    /**
     * The learning rate as a function of the update number: linear warm-up from 0 over {@code warmUpSteps}, then
     * cosine decay (Loshchilov, Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts", without restarts)
     * from {@code learningRate} to {@code finalLearningRate} at {@code totalSteps}, constant afterwards.
     */
    public static Tracker learningRate(OptimizerConfig config) {
        Tracker main = config.totalSteps() == 0
                ? Tracker.fixed(config.learningRate())
                : Tracker.cosine().setBaseValue(config.learningRate()).optFinalValue(config.finalLearningRate())
                        .setMaxUpdates(config.totalSteps() - config.warmUpSteps()).build();
        if (config.warmUpSteps() == 0) {
            return main;
        }
        return Tracker.warmUp().setMainTracker(main).optWarmUpSteps(config.warmUpSteps())
                .optWarmUpBeginValue(0f).build();
    }

    /**
     * The DJL optimiser. Clipping is applied by the caller before the update ({@link GradientClipping#clipGlobalNorm},
     * {@link GradientClipping#clipValue}): DJL has no global-norm option, and its per-element {@code clipGrad} only
     * clamps from above in the PyTorch engine.
     *
     * @param beginStep number of updates already done (to resume the schedule after loading a checkpoint)
     */
    public static Optimizer create(OptimizerConfig config, int beginStep) {
        Tracker lr = learningRate(config);
        Optimizer.OptimizerBuilder<?> builder = switch (config.algorithm()) {
            case ADAM -> Optimizer.adam().optLearningRateTracker(lr);
            case SGD -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(config.momentum());
        };
        builder.optWeightDecays(config.weightDecay()).optBeginNumUpdate(beginStep);
        return build(builder);
    }

    private static Optimizer build(Optimizer.OptimizerBuilder<?> builder) {
        if (builder instanceof ai.djl.training.optimizer.Adam.Builder adam) {
            return adam.build();
        }
        return ((ai.djl.training.optimizer.Sgd.Builder) builder).build();
    }
}
