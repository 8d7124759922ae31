package io.contrastream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    @Test
    void shouldWarmUpLinearlyThenDecayByCosineToTheFloor() {
        OptimizerConfig config = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.ADAM)
                .setLearningRate(0.1f).optSchedule(10, 110, 0.01f).build();
        Tracker lr = Optimizers.learningRate(config);
        // warm-up: 0.1 * step / 10
        assertEquals(0f, lr.getNewValue(0), 1e-7);
        assertEquals(0.05f, lr.getNewValue(5), 1e-6);
        // cosine over 100 steps: 0.01 + (0.1 - 0.01) * (1 + cos(pi * t / 100)) / 2
        assertEquals(0.1f, lr.getNewValue(10), 1e-6);
        assertEquals(0.01 + 0.09 * (1 + Math.cos(Math.PI * 0.5)) / 2, lr.getNewValue(60), 1e-6);
        assertEquals(0.01f, lr.getNewValue(110), 1e-6);
        assertEquals(0.01f, lr.getNewValue(500), 1e-6);
    }

    @Test
    void shouldCreateTheConfiguredAlgorithm() {
        assertInstanceOf(Adam.class, Optimizers.create(OptimizerConfig.adam(1e-3f), 0));
        assertInstanceOf(Sgd.class, Optimizers.create(OptimizerConfig.builder()
                .setAlgorithm(OptimizerConfig.Algorithm.SGD).setLearningRate(0.1f).optMomentum(0.9f)
                .optClipping(OptimizerConfig.Clipping.VALUE, 1f).build(), 0));
    }

    @Test
    void shouldRoundTripConfigThroughStringMap() {
        OptimizerConfig config = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.SGD)
                .setLearningRate(0.05f).optMomentum(0.8f).optWeightDecay(1e-4f).optSchedule(5, 100, 0.001f)
                .optClipping(OptimizerConfig.Clipping.NORM, 2f).build();
        assertEquals(config, OptimizerConfig.fromMap(config.toMap()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.fromMap(java.util.Map.of("algorithm", "lamb", "learningRate", "0.1")));
        assertEquals(true, e.getMessage().contains("algorithm"));
    }

    @Test
    void shouldRejectInconsistentSettingsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.builder()
                .setAlgorithm(OptimizerConfig.Algorithm.ADAM).setLearningRate(0.1f).optSchedule(10, 5, 0f).build());
        assertEquals(true, e.getMessage().contains("totalSteps"));
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.builder()
                .setAlgorithm(OptimizerConfig.Algorithm.ADAM).setLearningRate(0.1f)
                .optClipping(OptimizerConfig.Clipping.NORM, 0f).build());
        assertEquals(true, e.getMessage().contains("clipThreshold"));
    }
}
