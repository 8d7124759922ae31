package io.contrastream.trainer.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import io.contrastream.model.GradientLock;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.ContrastiveEncoder;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.trainer.engine.internal.EngineOnlyLoss;
import io.contrastream.trainer.loss.ContrastiveLoss;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.loss.LossInput;
import io.contrastream.trainer.loss.Losses;
import io.contrastream.trainer.optim.AdamState;
import io.contrastream.trainer.optim.DirectAdam;
import io.contrastream.trainer.optim.GradientClipping;
import io.contrastream.trainer.optim.OptimizerConfig;
import io.contrastream.trainer.optim.Optimizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory contrastive training on DJL: one encoder ({@link EncoderSpec}), one loss ({@link LossConfig}), one
 * optimiser ({@link OptimizerConfig}), fed one {@link TrainBatch} at a time. Not thread-safe; the PyTorch engine
 * allows a single gradient collector per process, so run one engine per JVM (or serialise calls).
 *
 * <p>Each {@link #step} decodes the batch into one NDArray, runs backbone and projection head, computes the loss,
 * back-propagates, clips, and applies the optimiser. All per-step arrays live in a sub-manager closed at the end of
 * the step. A non-finite loss or gradient skips the update ({@link StepResult.Skipped}); after
 * {@code maxConsecutiveSkips} in a row, {@link TrainingDivergedException} says what to try.
 *
 * <p><b>What a checkpoint holds:</b> {@link #saveCheckpoint} writes the network parameters (DJL
 * {@code Block.saveParameters}: weights, biases and batch-norm running statistics); {@link #saveOptimizerState}
 * writes, beside them, the Adam state of the default direct-update path ({@link DirectAdam}: update count and both
 * moments per parameter, {@link AdamState} format). {@link #loadParameters(StoredCheckpoint, int, Optional)} with
 * both files resumes bit for bit: the next update equals the one an uninterrupted engine would apply. Still not
 * saved: the optimiser state of DJL's own optimisers (SGD momentum buffers, and Adam with direct updates off or on an
 * engine other than PyTorch: DJL cannot serialise them) and the teacher snapshot. Without an optimiser file the
 * optimiser restarts with zero moments at the resumed step (a WARN says so): the schedule continues, but Adam's bias
 * correction restarts, so the first updates after resume are smaller than in an uninterrupted run. Record the step
 * count, seed and configs beside the checkpoint (the caller's provenance).
 */
public final class TrainingEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);

    private final EncoderSpec spec;
    private final LossConfig lossConfig;
    private final OptimizerConfig optimizerConfig;
    private final long seed;
    private final Device device;
    private final int maxConsecutiveSkips;
    private final ContrastiveLoss loss;
    private final Tracker learningRate;
    private final ContrastiveEncoder encoder;
    private final Model model;
    private Trainer trainer;
    /** Adam applied directly (PyTorch engine); null: {@code trainer.step()} applies the DJL optimiser. */
    private DirectAdam directAdam;
    private final boolean directUpdates;
    private NDManager teacherManager;
    private ContrastiveEncoder teacher;
    private final boolean pytorch;
    private long step;
    private int consecutiveSkips;
    private ByteBuffer inputBuffer;
    /**
     * Whether a parameter gradient may hold anything but zeros. Every path that leaves a step clean (an update, which
     * zeroes gradients; the non-finite-gradient skip, which zeroes them; a skip before backward, which wrote none)
     * clears it; anything else (an exception between backward and the update) leaves it set, and the next step zeroes
     * first.
     */
    private boolean gradientsDirty = true;

    private TrainingEngine(Builder b) {
        this.spec = b.spec;
        this.lossConfig = b.lossConfig;
        this.optimizerConfig = b.optimizerConfig;
        this.seed = b.seed;
        this.device = b.device != null ? b.device : Engine.getInstance().defaultDevice();
        this.maxConsecutiveSkips = b.maxConsecutiveSkips;
        this.pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
        this.directUpdates = b.directUpdates && pytorch
                && optimizerConfig.algorithm() == OptimizerConfig.Algorithm.ADAM;
        this.loss = Losses.create(lossConfig);
        this.learningRate = Optimizers.learningRate(optimizerConfig);
        this.encoder = Encoders.build(spec);
        this.model = Model.newInstance("contrastive-encoder", device);
        try {
            model.setBlock(encoder.network());
            encoder.initialize(model.getNDManager(), seed);
            this.trainer = newTrainer(0);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        LOG.info("training engine on device {} (engine {} {}): {}, loss {}, optimizer {}, seed {}", device,
                Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), spec, loss,
                optimizerConfig, seed);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains on one batch.
     *
     * @throws TrainingDivergedException after {@code maxConsecutiveSkips} consecutive skipped steps
     * @throws IllegalArgumentException  if the batch's sample shape differs from the encoder's input shape
     */
    @SuppressWarnings("try") // GradientLock.Held is held for its scope, never read
    public StepResult step(TrainBatch batch) {
        if (!Arrays.equals(batch.sampleShape(), spec.inputShape())) {
            throw new IllegalArgumentException("TrainBatch.sampleShape " + Arrays.toString(batch.sampleShape())
                    + " does not match the encoder input " + Arrays.toString(spec.inputShape()));
        }
        disableThreadGradMode();
        int rows = batch.views() * batch.batchSize();
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            NDArray x = input(stepManager, batch.pixels(), batchShape(rows));
            NDArray teacherProjections = teacher != null && loss.usesTeacher()
                    ? teacher.network().forward(new ParameterStore(stepManager, false), new NDList(x), false)
                            .singletonOrThrow().stopGradient()
                    : null;
            if (gradientsDirty) {
                GradientClipping.zero(encoder.network().getParameters());
                gradientsDirty = false;
            }
            float lossValue;
            try (GradientCollector collector = GradientLock.open(trainer::newGradientCollector)) {
                NDArray projections = trainer.forward(new NDList(x)).singletonOrThrow();
                LossInput.Builder input = LossInput.builder().setProjections(projections).setViews(batch.views())
                        .optLabels(batch.labels().orElse(null))
                        .optRehearsalMask(batch.rehearsalMask().orElse(null))
                        .optTeacherProjections(teacherProjections);
                if (batch.negativePixels().isPresent()) {
                    int m = batch.negativesPerSample();
                    NDArray negatives = stepManager.create(FloatBuffer.wrap(batch.negativePixels().get()),
                            batchShape((long) batch.batchSize() * m));
                    NDArray negativeProjections = trainer.forward(new NDList(negatives)).singletonOrThrow();
                    input.optNegatives(negativeProjections.reshape(batch.batchSize(), m, spec.projectionDim()));
                }
                NDArray value = loss.compute(input.build());
                lossValue = value.getFloat();
                if (!Float.isFinite(lossValue)) {
                    return skip(StepResult.Reason.NON_FINITE_LOSS, lossValue);
                }
                gradientsDirty = true;
                collector.backward(value);
            }
            float norm = optimizerConfig.clipping() == OptimizerConfig.Clipping.NORM
                    ? GradientClipping.clipGlobalNorm(encoder.network().getParameters(),
                            optimizerConfig.clipThreshold())
                    : GradientClipping.globalNorm(encoder.network().getParameters());
            if (!Float.isFinite(norm)) {
                GradientClipping.zero(encoder.network().getParameters());
                gradientsDirty = false;
                return skip(StepResult.Reason.NON_FINITE_GRADIENT, lossValue);
            }
            if (optimizerConfig.clipping() == OptimizerConfig.Clipping.VALUE) {
                GradientClipping.clipValue(encoder.network().getParameters(), optimizerConfig.clipThreshold());
            }
            float rate;
            if (directAdam != null) {
                rate = directAdam.update(encoder.network().getParameters());
            } else {
                // DJL's optimisers take the rate of update number t = updates so far + 1, and zero the gradients
                rate = learningRate.getNewValue(Math.toIntExact(Math.min(step + 1, Integer.MAX_VALUE)));
                trainer.step();
            }
            gradientsDirty = false;
            step++;
            consecutiveSkips = 0;
            LOG.debug("step {} loss {} lr {} grad-norm {}", step, lossValue, rate, norm);
            return new StepResult.Stepped(step, lossValue, rate, norm);
        }
    }

    /**
     * PyTorch's grad mode is thread-local: DJL switches it off only on the thread that loaded the engine, and a
     * gradient collector restores the mode it found. On any other thread (a trainer's compute thread) clipping and
     * the optimiser update would otherwise run with autograd recording.
     */
    private void disableThreadGradMode() {
        if (pytorch && JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    private StepResult skip(StepResult.Reason reason, float lossValue) {
        consecutiveSkips++;
        LOG.warn("skipped update after step {}: {} (loss {}), {} in a row", step, reason, lossValue,
                consecutiveSkips);
        if (consecutiveSkips >= maxConsecutiveSkips) {
            throw new TrainingDivergedException(consecutiveSkips, step, reason, lossValue);
        }
        return new StepResult.Skipped(step, reason, lossValue, consecutiveSkips);
    }

    /**
     * Backbone embeddings (the representation, not the projection) for evaluation, in inference mode.
     *
     * @param pixels {@code B*C*H*W} values
     * @param shape  {@code {B, C, H, W}}
     * @return {@code float[B][embeddingDim]}
     */
    public float[][] embed(float[] pixels, int[] shape) {
        if (shape.length != 4 || !Arrays.equals(Arrays.copyOfRange(shape, 1, 4), spec.inputShape())
                || (long) shape[0] * spec.inputSize() != pixels.length) {
            throw new IllegalArgumentException("embed: shape " + Arrays.toString(shape) + " with " + pixels.length
                    + " values does not match {B} + encoder input " + Arrays.toString(spec.inputShape()));
        }
        try (NDManager embedManager = trainer.getManager().newSubManager()) {
            NDArray x = embedManager.create(FloatBuffer.wrap(pixels), batchShape(shape[0]));
            float[] flat = encoder.embed(x).toFloatArray();
            int dim = spec.embeddingDim();
            float[][] rows = new float[shape[0]][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
            }
            return rows;
        }
    }

    /**
     * Writes the network parameters (see the class Javadoc for what is not included).
     *
     * @throws io.contrastream.model.NonFiniteParametersException if parameters hold NaN or infinity
     */
    public StoredCheckpoint saveCheckpoint(Path dir, String name) {
        return CheckpointFiles.write(dir, name, encoder.network());
    }

    /**
     * Writes the optimiser state (see the class Javadoc) to {@code dir/name} with the same temp-file, fsync, hash and
     * rename routine as the parameters.
     *
     * @return the file, or empty if this engine's optimiser state cannot be saved (SGD, or Adam through DJL's
     *         {@code Trainer.step()})
     */
    public Optional<StoredCheckpoint> saveOptimizerState(Path dir, String name) {
        if (directAdam == null) {
            return Optional.empty();
        }
        AdamState state = directAdam.state(encoder.network().getParameters());
        return Optional.of(CheckpointFiles.writeBlob(dir, name, state::writeTo));
    }

    /** {@link #loadParameters(StoredCheckpoint, int, Optional)} without an optimiser file. */
    public CheckpointCheck loadParameters(StoredCheckpoint checkpoint, int resumeStep) {
        return loadParameters(checkpoint, resumeStep, Optional.empty());
    }

    /**
     * Verifies and loads parameters written by {@link #saveCheckpoint} for the same {@link EncoderSpec}, then
     * restarts the optimiser with its schedule at {@code resumeStep}: with the moments of {@code optimizerState}
     * (written by {@link #saveOptimizerState} at that step) when given and this engine updates with
     * {@link DirectAdam}, else with zero moments (logged at WARN). The parameters are first loaded into a scratch
     * network built from the spec and the optimiser file is verified (size, SHA-256), parsed and matched against the
     * encoder's parameters (names, shapes, update count), so on any refusal the engine is unchanged.
     *
     * @return {@link CheckpointCheck.Verified} for the parameter file, or the refusal of either file (a malformed or
     *         mismatched optimiser file is {@link CheckpointCheck.Malformed} naming it and the parameter)
     */
    public CheckpointCheck loadParameters(StoredCheckpoint checkpoint, int resumeStep,
                                          Optional<StoredCheckpoint> optimizerState) {
        if (resumeStep < 0) {
            throw new IllegalArgumentException("resumeStep must be >= 0, got " + resumeStep);
        }
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            CheckpointCheck probe = CheckpointFiles.load(checkpoint,
                    Encoders.build(spec).initialize(scratch).network(), scratch);
            if (!(probe instanceof CheckpointCheck.Verified)) {
                return probe;
            }
        }
        AdamState adamState = null;
        if (optimizerState.isPresent() && !directUpdates) {
            LOG.warn("checkpoint {} has an Adam state file ({}) but this engine's optimizer ({}, direct updates {}) "
                    + "cannot take it; ignoring it", checkpoint.uri(), optimizerState.get().uri(), optimizerConfig,
                    directUpdates);
        } else if (optimizerState.isPresent()) {
            CheckpointFiles.Read read = CheckpointFiles.read(optimizerState.get());
            if (read instanceof CheckpointFiles.Read.Refused refused) {
                return refused.check();
            }
            Path file = Path.of(optimizerState.get().uri());
            try {
                adamState = AdamState.readFrom(
                        new ByteArrayInputStream(((CheckpointFiles.Read.Ok) read).bytes()), file.toString());
                DirectAdam.check(adamState, encoder.network().getParameters(), resumeStep, file.toString());
            } catch (IOException | IllegalArgumentException e) {
                return new CheckpointCheck.Malformed(file, e.getMessage());
            }
        }
        CheckpointCheck check = CheckpointFiles.load(checkpoint, encoder.network(), model.getNDManager());
        if (check instanceof CheckpointCheck.Verified) {
            closeTrainer();
            trainer = newTrainer(resumeStep);
            if (adamState != null) {
                directAdam.restore(adamState, encoder.network().getParameters(),
                        optimizerState.get().uri().toString());
            } else if (resumeStep > 0 && (optimizerConfig.algorithm() == OptimizerConfig.Algorithm.ADAM
                    || optimizerConfig.momentum() > 0f)) {
                LOG.warn("resuming at step {} without optimizer state: {} restarts with zero {} (the schedule "
                        + "continues; updates differ from an uninterrupted run until the moments recover)",
                        resumeStep, optimizerConfig.algorithm(),
                        optimizerConfig.algorithm() == OptimizerConfig.Algorithm.ADAM
                                ? "moments and bias correction from this step" : "momentum");
            }
            gradientsDirty = true;
            step = resumeStep;
            consecutiveSkips = 0;
            LOG.info("loaded checkpoint {} (sha256 {}), resuming at step {}{}", checkpoint.uri(),
                    checkpoint.sha256Hex(), resumeStep, adamState != null ? " with its Adam moments" : "");
        }
        return check;
    }

    /**
     * Freezes a copy of the current parameters as the "previous encoder" whose projections feed distillation losses
     * (Co2L IRD), typically at a task boundary. Replaces any earlier snapshot.
     */
    public void snapshotTeacher() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NDManager newManager = model.getNDManager().newSubManager();
        try {
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                encoder.network().saveParameters(out);
            }
            ContrastiveEncoder copy = Encoders.build(spec).initialize(newManager);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy.network().loadParameters(newManager, in);
            }
            copy.network().freezeParameters(true);
            if (teacherManager != null) {
                teacherManager.close();
            }
            teacherManager = newManager;
            teacher = copy;
            LOG.info("teacher snapshot taken at step {}", step);
        } catch (IOException | MalformedModelException e) {
            newManager.close();
            throw new UncheckedIOException("could not copy parameters into the teacher encoder",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Number of updates applied (skipped steps do not count). */
    public long step() {
        return step;
    }

    /** The device the engine trains on. */
    public Device device() {
        return device;
    }

    /** The encoder being trained (parameters change with every step). */
    public ContrastiveEncoder encoder() {
        return encoder;
    }

    @Override
    public void close() {
        try {
            closeTrainer();
            if (teacherManager != null) {
                teacherManager.close();
            }
        } finally {
            model.close();
        }
    }

    private void closeTrainer() {
        try {
            if (directAdam != null) {
                directAdam.close();
                directAdam = null;
            }
        } finally {
            trainer.close();
        }
    }

    /** The DJL trainer (forward, gradient collection) and, with direct updates, a fresh {@link DirectAdam}. */
    private Trainer newTrainer(int beginStep) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(new EngineOnlyLoss(lossConfig.name()))
                .optOptimizer(Optimizers.create(optimizerConfig, beginStep))
                .optDevices(new Device[] {device});
        Trainer newTrainer = model.newTrainer(config);
        newTrainer.initialize(encoder.inputShape(1));
        if (directUpdates) {
            directAdam = new DirectAdam(optimizerConfig, beginStep);
        }
        return newTrainer;
    }

    /**
     * The batch pixels as an NDArray over the engine's reusable native input buffer (grown when a larger batch
     * comes): one copy from the Java array, no per-step native allocation (3 MB at batch 512 of 28x28 views, freshly
     * zeroed and page-faulted each time). PyTorch aliases the buffer, so the array must not outlive the step: it
     * belongs to the step's manager, closed before the next step writes the buffer.
     */
    private NDArray input(NDManager stepManager, float[] pixels, Shape shape) {
        int bytes = Math.multiplyExact(pixels.length, Float.BYTES);
        if (inputBuffer == null || inputBuffer.capacity() < bytes) {
            inputBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = inputBuffer.duplicate().order(ByteOrder.nativeOrder());
        view.limit(bytes);
        view.asFloatBuffer().put(pixels);
        return stepManager.create(view.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
    }

    private Shape batchShape(long rows) {
        int[] s = spec.inputShape();
        return new Shape(rows, s[0], s[1], s[2]);
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private EncoderSpec spec;
        private LossConfig lossConfig;
        private OptimizerConfig optimizerConfig;
        private Long seedValue;
        private long seed;
        private Device device;
        private int maxConsecutiveSkips = 5;
        private boolean directUpdates = true;

        private Builder() {
        }

        public Builder setEncoder(EncoderSpec spec) {
            this.spec = spec;
            return this;
        }

        public Builder setLoss(LossConfig lossConfig) {
            this.lossConfig = lossConfig;
            return this;
        }

        public Builder setOptimizer(OptimizerConfig optimizerConfig) {
            this.optimizerConfig = optimizerConfig;
            return this;
        }

        /** Seeds parameter initialisation (and the engine's random generator). */
        public Builder setSeed(long seed) {
            this.seedValue = seed;
            this.seed = seed;
            return this;
        }

        /** Default: {@code Engine.getInstance().defaultDevice()} (a GPU if the engine sees one, else CPU). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Consecutive skipped steps tolerated before {@link TrainingDivergedException}; default 5. */
        public Builder optMaxConsecutiveSkips(int maxConsecutiveSkips) {
            this.maxConsecutiveSkips = maxConsecutiveSkips;
            return this;
        }

        /**
         * Default true: with the PyTorch engine and Adam, apply the update with {@link DirectAdam} (the same native
         * update as DJL's Adam, without {@code Trainer.step()}'s gradient copy and all-zero check). False: always
         * {@code Trainer.step()}; kept for side-by-side comparisons and engines other than PyTorch.
         */
        public Builder optDirectUpdates(boolean directUpdates) {
            this.directUpdates = directUpdates;
            return this;
        }

        public TrainingEngine build() {
            Objects.requireNonNull(spec, "TrainingEngine encoder spec is required (setEncoder)");
            Objects.requireNonNull(lossConfig, "TrainingEngine loss config is required (setLoss)");
            Objects.requireNonNull(optimizerConfig, "TrainingEngine optimizer config is required (setOptimizer)");
            Objects.requireNonNull(seedValue, "TrainingEngine seed is required (setSeed)");
            if (maxConsecutiveSkips < 1) {
                throw new IllegalArgumentException("maxConsecutiveSkips must be >= 1, got " + maxConsecutiveSkips);
            }
            return new TrainingEngine(this);
        }
    }
}
