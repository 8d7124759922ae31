package io.contrastream.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.trainer.loss.InfoNceLoss;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.loss.LossInput;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingEngineTest {
    private static final int[] SHAPE = {1, 4, 4};
    private static final EncoderSpec MLP = new EncoderSpec(EncoderSpec.Kind.MLP, SHAPE, List.of(32), 16, 8);

    @TempDir
    Path dir;

    private static TrainingEngine engine(LossConfig loss, long seed) {
        return TrainingEngine.builder().setEncoder(MLP).setLoss(loss)
                .setOptimizer(OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.ADAM)
                        .setLearningRate(1e-2f).optClipping(OptimizerConfig.Clipping.NORM, 5f).build())
                .setSeed(seed).build();
    }

    @Test
    void shouldDecreaseInfoNceLossOnSeparableSyntheticData() {
        // 256 well-separated instances; the two views of a sample are its prototype plus small noise
        SyntheticBatches data = new SyntheticBatches(256, 16, 0.1f, 1);
        float[] losses = new float[50];
        // tau = 0.1 so the loss floor is near 0 (at tau = 0.5 bounded cosines keep it above ~2.2 for 62 negatives)
        try (TrainingEngine engine = engine(LossConfig.of("infonce", 0.1f), 3)) {
            for (int i = 0; i < losses.length; i++) {
                StepResult.Stepped stepped = assertInstanceOf(StepResult.Stepped.class,
                        engine.step(data.next(32, 2, SHAPE)));
                losses[i] = stepped.loss();
            }
            assertEquals(50, engine.step());
        }
        double first = mean(losses, 0, 5);
        double last = mean(losses, 45, 50);
        assertTrue(last < 0.5 * first, "loss should fall: first5=" + first + " last5=" + last);
    }

    @Test
    void shouldClipGradientElementsFromBelowAsWellAsFromAboveWithValueClipping() {
        // SGD, lr 1, no momentum or decay: a step moves each weight by minus its clipped gradient, so no weight may move
        // by more than the threshold in either direction (DJL's own clipGrad only clamped from above)
        float threshold = 1e-4f;
        SyntheticBatches data = new SyntheticBatches(64, 16, 0.1f, 5);
        OptimizerConfig sgd = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.SGD)
                .setLearningRate(1f).optMomentum(0f).optClipping(OptimizerConfig.Clipping.VALUE, threshold).build();
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(MLP).setLoss(LossConfig.of("infonce", 0.1f))
                .setOptimizer(sgd).setSeed(11).build()) {
            List<float[]> before = new java.util.ArrayList<>();
            engine.encoder().network().getParameters().forEach(p -> before.add(p.getValue().getArray().toFloatArray()));
            assertInstanceOf(StepResult.Stepped.class, engine.step(data.next(32, 2, SHAPE)));
            float up = 0f;
            float down = 0f;
            int i = 0;
            for (var p : engine.encoder().network().getParameters()) {
                float[] after = p.getValue().getArray().toFloatArray();
                float[] old = before.get(i++);
                for (int j = 0; j < after.length; j++) {
                    float delta = after[j] - old[j];
                    assertTrue(Math.abs(delta) <= threshold * 1.001f, p.getKey() + "[" + j + "] moved by " + delta);
                    up = Math.max(up, delta);
                    down = Math.min(down, delta);
                }
            }
            // both directions reach the threshold: some gradients were clipped on each side
            assertEquals(threshold, up, threshold * 1e-3f);
            assertEquals(-threshold, down, threshold * 1e-3f);
        }
    }

    private static double mean(float[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    @Test
    void shouldComputeEveryStepOnItsOwnPixelsWhenBatchSizesChange() {
        // the engine reuses one native input buffer: a smaller batch after a larger one must not see stale rows
        SyntheticBatches data = new SyntheticBatches(8, 16, 0.3f, 9);
        try (TrainingEngine engine = engine(LossConfig.of("infonce", 0.5f), 7);
             NDManager manager = NDManager.newBaseManager()) {
            for (int size : new int[] {16, 8, 12, 16}) {
                TrainBatch batch = data.next(size, 2, SHAPE);
                float expected;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(batch.pixels(), new Shape(2L * size, 1, 4, 4));
                    NDArray projections = engine.encoder().project(x);
                    expected = new InfoNceLoss(0.5f).compute(LossInput.builder().setProjections(projections)
                            .setViews(2).build()).getFloat();
                }
                StepResult.Stepped stepped = assertInstanceOf(StepResult.Stepped.class, engine.step(batch));
                assertEquals(expected, stepped.loss(), 1e-5f, "batch of " + size);
            }
        }
    }

    @Test
    void shouldApplyBitIdenticalUpdatesDirectlyAndThroughDjlTrainerStep() {
        // DirectAdam calls the same native update as DJL's Adam without Trainer.step(): same losses, norms and
        // parameters, with weight decay, a warm-up schedule and norm clipping (which rescales gradients first)
        OptimizerConfig adam = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.ADAM)
                .setLearningRate(1e-2f).optWeightDecay(1e-3f).optSchedule(3, 10, 1e-3f)
                .optClipping(OptimizerConfig.Clipping.NORM, 0.5f).build();
        SyntheticBatches dataA = new SyntheticBatches(16, 16, 0.3f, 4);
        SyntheticBatches dataB = new SyntheticBatches(16, 16, 0.3f, 4);
        try (TrainingEngine direct = TrainingEngine.builder().setEncoder(MLP).setLoss(LossConfig.of("infonce", 0.5f))
                .setOptimizer(adam).setSeed(5).build();
             TrainingEngine viaTrainer = TrainingEngine.builder().setEncoder(MLP)
                     .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(adam).setSeed(5)
                     .optDirectUpdates(false).build()) {
            for (int i = 0; i < 5; i++) {
                StepResult.Stepped a = assertInstanceOf(StepResult.Stepped.class, direct.step(dataA.next(8, 2, SHAPE)));
                StepResult.Stepped b = assertInstanceOf(StepResult.Stepped.class,
                        viaTrainer.step(dataB.next(8, 2, SHAPE)));
                assertEquals(b.loss(), a.loss(), 0f, "loss of step " + i);
                assertEquals(b.gradientNorm(), a.gradientNorm(), 0f, "gradient norm of step " + i);
                // the reported rate is the one the update used: update number t = i + 1 of the schedule
                float rate = io.contrastream.trainer.optim.Optimizers.learningRate(adam).getNewValue(i + 1);
                assertEquals(rate, a.learningRate(), 0f, "rate of step " + i);
                assertEquals(rate, b.learningRate(), 0f, "rate of step " + i);
            }
            var expected = viaTrainer.encoder().network().getParameters().values();
            var actual = direct.encoder().network().getParameters().values();
            assertEquals(expected.size(), actual.size());
            for (int p = 0; p < expected.size(); p++) {
                assertArrayEquals(expected.get(p).getArray().toFloatArray(), actual.get(p).getArray().toFloatArray(),
                        0f, expected.get(p).getName());
            }
        }
    }

    @Test
    void shouldLeaveZeroGradientsAfterEveryUpdateAndSkipSoTheNextStepNeedNotZeroThem() {
        // TrainingEngine zeroes gradients before a step only when the last one may have left some behind; that relies
        // on both update paths (DirectAdam; DJL's optimisers through Trainer.step()) and on the skip before backward
        // leaving them at zero
        SyntheticBatches data = new SyntheticBatches(16, 16, 0.3f, 8);
        for (OptimizerConfig.Algorithm algorithm : OptimizerConfig.Algorithm.values()) {
            for (boolean direct : new boolean[] {true, false}) {
                OptimizerConfig config = OptimizerConfig.builder().setAlgorithm(algorithm).setLearningRate(1e-2f)
                        .build();
                try (TrainingEngine engine = TrainingEngine.builder().setEncoder(MLP)
                        .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(config).setSeed(21)
                        .optDirectUpdates(direct).build()) {
                    TrainBatch good = data.next(8, 2, SHAPE);
                    assertInstanceOf(StepResult.Stepped.class, engine.step(good));
                    assertZeroGradients(engine, algorithm + " direct=" + direct + " after an update");
                    float[] poisoned = good.pixels().clone();
                    poisoned[0] = Float.NaN;
                    assertInstanceOf(StepResult.Skipped.class, engine.step(TrainBatch.builder().setViews(2)
                            .setBatchSize(8).setSampleShape(SHAPE).setPixels(poisoned).build()));
                    assertZeroGradients(engine, algorithm + " direct=" + direct + " after a non-finite loss");
                }
            }
        }
    }

    private static void assertZeroGradients(TrainingEngine engine, String when) {
        for (var p : engine.encoder().network().getParameters()) {
            float[] gradient = p.getValue().getArray().getGradient().toFloatArray();
            assertArrayEquals(new float[gradient.length], gradient, 0f, p.getKey() + " " + when);
        }
    }

    @Test
    void shouldReproduceLossesForTheSameSeed() {
        float[] a = run(11);
        float[] b = run(11);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, run(12)));
    }

    private static float[] run(long seed) {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 5);
        float[] losses = new float[3];
        try (TrainingEngine engine = engine(LossConfig.of("infonce", 0.5f), seed)) {
            for (int i = 0; i < losses.length; i++) {
                losses[i] = ((StepResult.Stepped) engine.step(data.next(8, 2, SHAPE))).loss();
            }
        }
        return losses;
    }

    @Test
    void shouldSkipNonFiniteLossAndGiveUpAfterConsecutiveSkips() {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 1);
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(MLP).setLoss(LossConfig.of("infonce", 0.5f))
                .setOptimizer(OptimizerConfig.adam(1e-2f)).setSeed(1).optMaxConsecutiveSkips(2).build()) {
            TrainBatch good = data.next(8, 2, SHAPE);
            float[] poisoned = good.pixels().clone();
            poisoned[3] = Float.NaN;
            TrainBatch bad = TrainBatch.builder().setViews(2).setBatchSize(8).setSampleShape(SHAPE)
                    .setPixels(poisoned).build();
            float[] probe = new float[16];
            float[][] before = engine.embed(probe, new int[] {1, 1, 4, 4});

            StepResult.Skipped skipped = assertInstanceOf(StepResult.Skipped.class, engine.step(bad));
            assertEquals(StepResult.Reason.NON_FINITE_LOSS, skipped.reason());
            assertEquals(0, engine.step());
            assertArrayEquals(before[0], engine.embed(probe, new int[] {1, 1, 4, 4})[0], "skip leaves parameters");

            assertInstanceOf(StepResult.Stepped.class, engine.step(good), "a good step resets the count");
            engine.step(bad);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> engine.step(bad));
            assertTrue(e.getMessage().contains("learning rate"));
            assertEquals(2, e.consecutiveSkips());
        }
    }

    @Test
    void shouldRestoreEmbeddingsFromCheckpointAndResumeSchedule() throws Exception {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 2);
        float[] probe = new float[32];
        Arrays.fill(probe, 0.5f);
        int[] probeShape = {2, 1, 4, 4};
        try (TrainingEngine engine = engine(LossConfig.of("dcl", 0.5f), 4)) {
            engine.step(data.next(8, 2, SHAPE));
            StoredCheckpoint stored = engine.saveCheckpoint(dir, "step-1.params");
            float[][] saved = engine.embed(probe, probeShape);
            assertEquals(16, saved[0].length);
            engine.step(data.next(8, 2, SHAPE));
            engine.step(data.next(8, 2, SHAPE));
            assertTrue(!Arrays.equals(saved[0], engine.embed(probe, probeShape)[0]));

            assertInstanceOf(CheckpointCheck.Verified.class, engine.loadParameters(stored, 1));
            assertEquals(1, engine.step());
            assertArrayEquals(saved[0], engine.embed(probe, probeShape)[0]);
            assertArrayEquals(saved[1], engine.embed(probe, probeShape)[1]);
            assertInstanceOf(StepResult.Stepped.class, engine.step(data.next(8, 2, SHAPE)));
            assertEquals(2, engine.step());

            Files.write(Path.of(stored.uri()), new byte[] {1, 2, 3});
            assertInstanceOf(CheckpointCheck.SizeMismatch.class, engine.loadParameters(stored, 1));
            assertEquals(2, engine.step(), "a refused checkpoint leaves the engine as it was");

            float[][] current = engine.embed(probe, probeShape);
            try (TrainingEngine other = TrainingEngine.builder()
                    .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, SHAPE, List.of(32, 8), 16, 8))
                    .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                    .build()) {
                StoredCheckpoint foreign = other.saveCheckpoint(dir, "foreign.params");
                assertInstanceOf(CheckpointCheck.Malformed.class, engine.loadParameters(foreign, 7));
            }
            assertArrayEquals(current[0], engine.embed(probe, probeShape)[0], "a mismatched spec changes nothing");
            assertEquals(2, engine.step());
        }
    }

    @Test
    void shouldTrainCo2lWithRehearsalMaskLabelsAndTeacher() {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 3);
        try (TrainingEngine engine = engine(LossConfig.of("co2l", 0.5f), 5)) {
            TrainBatch plain = data.next(8, 2, SHAPE);
            boolean[] replayed = {true, true, true, false, false, false, false, false};
            TrainBatch batch = TrainBatch.builder().setViews(2).setBatchSize(8).setSampleShape(SHAPE)
                    .setPixels(plain.pixels()).optLabels(plain.labels().orElseThrow()).optRehearsalMask(replayed)
                    .build();
            StepResult.Stepped withoutTeacher = assertInstanceOf(StepResult.Stepped.class, engine.step(batch));
            engine.snapshotTeacher();
            StepResult.Stepped withTeacher = assertInstanceOf(StepResult.Stepped.class, engine.step(batch));
            assertTrue(Float.isFinite(withTeacher.loss()) && Float.isFinite(withoutTeacher.loss()));
        }
    }

    @Test
    void shouldEncodeExplicitNegativesAndMixHardNegatives() {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 4);
        LossConfig mochi = new LossConfig("infonce", 0.5f, Map.of("mochi.hardest", "4", "mochi.synthetic", "2",
                "mochi.querySynthetic", "1", "mochi.seed", "9"));
        try (TrainingEngine engine = engine(mochi, 6)) {
            TrainBatch plain = data.next(8, 2, SHAPE);
            float[] negatives = Arrays.copyOf(data.next(16, 1, SHAPE).pixels(), 8 * 2 * 16);
            TrainBatch batch = TrainBatch.builder().setViews(2).setBatchSize(8).setSampleShape(SHAPE)
                    .setPixels(plain.pixels()).optNegatives(negatives, 2).build();
            assertInstanceOf(StepResult.Stepped.class, engine.step(batch));
        }
    }

    @Test
    void shouldTrainConvolutionalBackbones() {
        List<EncoderSpec> specs = List.of(
                new EncoderSpec(EncoderSpec.Kind.CNN, new int[] {1, 28, 28}, List.of(4, 8), 16, 8),
                new EncoderSpec(EncoderSpec.Kind.RESNET, new int[] {3, 32, 32}, List.of(4, 8), 16, 8));
        for (EncoderSpec spec : specs) {
            SyntheticBatches data = new SyntheticBatches(2, spec.inputSize(), 0.3f, 7);
            try (TrainingEngine engine = TrainingEngine.builder().setEncoder(spec)
                    .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                    .build()) {
                assertInstanceOf(StepResult.Stepped.class, engine.step(data.next(4, 2, spec.inputShape())));
                assertEquals(16, engine.embed(new float[2 * spec.inputSize()],
                        new int[] {2, spec.inputShape()[0], spec.inputShape()[1], spec.inputShape()[2]})[1].length);
            }
        }
    }

    private static int[][] parameterBits(TrainingEngine engine) {
        var parameters = engine.encoder().network().getParameters().values();
        int[][] out = new int[parameters.size()][];
        for (int p = 0; p < out.length; p++) {
            float[] values = parameters.get(p).getArray().toFloatArray();
            out[p] = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                out[p][i] = Float.floatToRawIntBits(values[i]);
            }
        }
        return out;
    }

    @Test
    void shouldResumeBitIdenticallyWithTheSavedOptimizerStateAndNotWithout() throws Exception {
        OptimizerConfig adam = OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.ADAM)
                .setLearningRate(1e-2f).optWeightDecay(1e-3f).optSchedule(3, 10, 1e-3f)
                .optClipping(OptimizerConfig.Clipping.NORM, 0.5f).build();
        LossConfig loss = LossConfig.of("infonce", 0.5f);
        SyntheticBatches dataA = new SyntheticBatches(16, 16, 0.3f, 8);
        List<TrainBatch> batches = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(dataA.next(8, 2, SHAPE));
        }
        StoredCheckpoint parameters;
        StoredCheckpoint optimizer;
        int[][] uninterrupted;
        try (TrainingEngine a = TrainingEngine.builder().setEncoder(MLP).setLoss(loss).setOptimizer(adam).setSeed(5)
                .build()) {
            a.step(batches.get(0));
            a.step(batches.get(1));
            parameters = a.saveCheckpoint(dir, "step-2.params");
            optimizer = a.saveOptimizerState(dir, "step-2.optimizer").orElseThrow();
            for (int i = 2; i < 5; i++) {
                a.step(batches.get(i));
            }
            uninterrupted = parameterBits(a);
        }
        // a different seed: every parameter and moment must come from the files
        try (TrainingEngine resumed = TrainingEngine.builder().setEncoder(MLP).setLoss(loss).setOptimizer(adam)
                .setSeed(99).build();
             TrainingEngine restarted = TrainingEngine.builder().setEncoder(MLP).setLoss(loss).setOptimizer(adam)
                     .setSeed(99).build()) {
            assertInstanceOf(CheckpointCheck.Verified.class,
                    resumed.loadParameters(parameters, 2, java.util.Optional.of(optimizer)));
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                    .getLogger(TrainingEngine.class);
            var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
            appender.start();
            logger.addAppender(appender);
            try {
                assertInstanceOf(CheckpointCheck.Verified.class, restarted.loadParameters(parameters, 2));
            } finally {
                logger.detachAppender(appender);
            }
            assertTrue(appender.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("without optimizer state: ADAM restarts with zero moments")),
                    String.valueOf(appender.list));
            for (int i = 2; i < 5; i++) {
                StepResult.Stepped r = assertInstanceOf(StepResult.Stepped.class, resumed.step(batches.get(i)));
                assertEquals(i + 1, r.step());
                restarted.step(batches.get(i));
            }
            assertTrue(Arrays.deepEquals(uninterrupted, parameterBits(resumed)),
                    "with its moments, the resumed engine ends bit-identical to the uninterrupted one");
            assertTrue(!Arrays.deepEquals(uninterrupted, parameterBits(restarted)),
                    "with zero moments it does not (the control that makes the check above meaningful)");
        }
    }

    @Test
    void shouldRefuseACorruptOrMismatchedOptimizerStateAndLeaveTheEngineUnchanged() throws Exception {
        SyntheticBatches data = new SyntheticBatches(4, 16, 0.3f, 2);
        try (TrainingEngine engine = engine(LossConfig.of("infonce", 0.5f), 4)) {
            engine.step(data.next(8, 2, SHAPE));
            StoredCheckpoint parameters = engine.saveCheckpoint(dir, "s1.params");
            StoredCheckpoint optimizer = engine.saveOptimizerState(dir, "s1.optimizer").orElseThrow();
            engine.step(data.next(8, 2, SHAPE));
            int[][] before = parameterBits(engine);

            CheckpointCheck.Malformed wrongStep = assertInstanceOf(CheckpointCheck.Malformed.class,
                    engine.loadParameters(parameters, 3, java.util.Optional.of(optimizer)));
            assertTrue(wrongStep.reason().contains(Path.of(optimizer.uri()).toString())
                    && wrongStep.reason().contains("saved after 1 updates but the optimizer resumes at update 3"),
                    wrongStep.reason());

            byte[] bytes = Files.readAllBytes(Path.of(optimizer.uri()));
            bytes[bytes.length - 3] ^= 0x11;
            Files.write(Path.of(optimizer.uri()), bytes);
            CheckpointCheck.HashMismatch tampered = assertInstanceOf(CheckpointCheck.HashMismatch.class,
                    engine.loadParameters(parameters, 1, java.util.Optional.of(optimizer)));
            assertEquals(Path.of(optimizer.uri()), tampered.file());

            // a well-hashed file that is not an Adam state (e.g. another attachment named by mistake)
            StoredCheckpoint notAdam = io.contrastream.model.CheckpointFiles.writeBlob(dir, "s1.other",
                    out -> out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
            CheckpointCheck.Malformed malformed = assertInstanceOf(CheckpointCheck.Malformed.class,
                    engine.loadParameters(parameters, 1, java.util.Optional.of(notAdam)));
            assertTrue(malformed.reason().contains("not an Adam state file"), malformed.reason());

            assertEquals(2, engine.step(), "refusals leave the step count");
            assertTrue(Arrays.deepEquals(before, parameterBits(engine)), "refusals leave the parameters");
        }
    }

    @Test
    void shouldHaveNoOptimizerStateToSaveForSgdOrDjlAdam() {
        try (TrainingEngine sgd = TrainingEngine.builder().setEncoder(MLP).setLoss(LossConfig.of("infonce", 0.5f))
                .setOptimizer(OptimizerConfig.builder().setAlgorithm(OptimizerConfig.Algorithm.SGD)
                        .setLearningRate(0.1f).build()).setSeed(1).build();
             TrainingEngine djlAdam = TrainingEngine.builder().setEncoder(MLP)
                     .setLoss(LossConfig.of("infonce", 0.5f)).setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1)
                     .optDirectUpdates(false).build()) {
            assertTrue(sgd.saveOptimizerState(dir, "sgd.optimizer").isEmpty());
            assertTrue(djlAdam.saveOptimizerState(dir, "djl.optimizer").isEmpty());
            assertTrue(!Files.exists(dir.resolve("sgd.optimizer")) && !Files.exists(dir.resolve("djl.optimizer")));
        }
    }
}
