package io.contrastream.trainer.engine.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The DJL {@code Loss} handed to {@code DefaultTrainingConfig}, which requires one. The contrastive loss needs the
 * whole batch's structure (views, labels, negatives), so it is computed by the training engine, not through DJL's
 * {@code (labels, predictions)} interface; calling this is a programming error.
 */
public final class EngineOnlyLoss extends Loss {

    public EngineOnlyLoss(String name) {
        super(name);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        throw new UnsupportedOperationException("loss '" + getName() + "' is computed by TrainingEngine.step;"
                + " do not train this Trainer with EasyTrain or trainBatch");
    }
}
