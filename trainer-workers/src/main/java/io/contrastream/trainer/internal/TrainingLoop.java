package io.contrastream.trainer.internal;

import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.EventTopics;
import io.contrastream.model.NonFiniteParametersException;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.Provenance;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TopicPartitionOffset;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import io.contrastream.trainer.HardNegativeSource;
import io.contrastream.trainer.SourcedView;
import io.contrastream.trainer.TrainerAbortedException;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.TrainerListener;
import io.contrastream.trainer.TrainerProgress;
import io.contrastream.trainer.TrainerSummary;
import io.contrastream.trainer.TrainerSummary.StopReason;
import io.contrastream.trainer.ViewLocation;
import io.contrastream.trainer.ViewSource;
import io.contrastream.trainer.engine.StepResult;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.Losses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's single-threaded loop: poll views, decode and validate them (dead-lettering bad ones), group them
 * into samples, gate them by task, train full batches, end tasks, apply back-pressure, checkpoint. The same loop
 * runs on the Kafka source and on an in-memory one.
 *
 * <p>Steps run on a separate compute thread, one at a time. While a step runs the loop keeps polling and decoding
 * (a Kafka consumer receives fetched data only inside {@code poll}) until two further
 * batches are buffered, blocking in a poll no longer than the step is expected to last, and copies the next batch's
 * pixels ahead of time; a new step starts only once the previous one has been accounted for.
 *
 * <p>Late views (a task id lower than the current task, e.g. stragglers of an ended task) are trained with the
 * current task's batches rather than dropped: they were consumed and are valid data, and no gate can reopen a task
 * that has ended. They are counted ({@code late}) and do not count towards the current task's expected samples.
 *
 * <p>With replay on ({@link TrainerConfig#replay()}), every batch is composed with replayed samples from the
 * {@link Rehearsal} buffer ({@code draw} = the engine's step count before the step, so a resumed trainer recomposes
 * the same batches), and after the step the batch's raw samples are offered to the buffer. When the trainer moves
 * on to a task (task 0 at the start, task {@code t} when task {@code t-1} has ended after every expected sample of
 * it, as announced by the control topic's START) the buffer's task bookkeeping advances and, for losses that use a
 * teacher (co2l), the engine snapshots the teacher. The buffer is saved with every checkpoint as the
 * {@value #REPLAY_ATTACHMENT} attachment and restored from it on resume. The engine's Adam state, when it has one,
 * is saved as the {@value #OPTIMIZER_ATTACHMENT} attachment (the caller hands it to the engine on resume).
 *
 * <p>With hard negatives on ({@link TrainerConfig#hardNegatives()}), the loop reads new mined sets between steps
 * and every batch (after replay composition) gets explicit negatives from {@link HardNegatives}; after the step
 * its samples are cached as future negatives. Counted as {@code negativesMined}, {@code negativesFilled} and
 * {@code stepsWithoutNegatives}. This changes what a batch contains, never which records are trained or committed.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final EventCodec<AugmentedView> VIEW_CODEC = EventCodec.of(AugmentedView.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final TrainerConfig config;
    private final EventTopics topics;
    private final TrainingEngine engine;
    private final ViewSource source;
    private final CheckpointSink sink;
    private final Supplier<List<TaskEvent>> control;
    private final TrainerListener listener;
    private final AtomicBoolean stopRequested;
    private final Map<String, String> provenanceExtras;
    private final String worker;
    private final int[] shape;
    private final float[] scratch;

    private final ViewAssembler assembler;
    private final TaskGate gate;
    private final ArrayDeque<AssembledSample> ready = new ArrayDeque<>();
    private final List<AssembledSample> waiting = new ArrayList<>();
    private final Map<Integer, Long> droppedAhead = new HashMap<>();
    private final List<QueuedDeadLetter> deadLetters = new ArrayList<>();
    private final Set<TopicPartition> gated = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final Optional<Rehearsal> rehearsal;
    private final Optional<HardNegatives> hardNegatives;
    private final boolean usesTeacher;
    private ExecutorService compute;
    private Future<Outcome> inFlight;
    private List<AssembledSample> inFlightSamples = List.of();
    private PreparedBatch nextBatch;
    private long stepStarted;
    private volatile long lastStepNanos;
    private long settledSteps;
    private boolean backPressure;
    private boolean firstAssignment = true;
    private int currentTask;
    private long doneInTask;
    private long lastCheckpointStep = -1;
    private Map<TopicPartition, Long> lastCheckpointOffsets = Map.of();
    private CheckpointEvent lastCheckpoint;
    private long rateWindowStart = System.nanoTime();
    private long rateWindowSamples;
    private double samplesPerSecond;

    /** Full batches kept buffered ahead of the step in flight before the loop stops reading and waits for it. */
    private static final int READ_AHEAD_BATCHES = 2;

    /** A batch assembled ahead of time from the first samples of {@code ready}. */
    private record PreparedBatch(List<AssembledSample> samples, TrainBatch batch) {
    }

    /** A settled step: the batch as trained (with replay and negatives), the engine's result, negatives counts. */
    private record Outcome(TrainBatch batch, StepResult result, int minedNegatives, int filledNegatives) {
    }

    private record QueuedDeadLetter(TopicPartition source, ProducerRecord<String, DeadLetter> record) {
    }

    public TrainingLoop(TrainerConfig config, TrainingEngine engine, ViewSource source, CheckpointSink sink,
                        Supplier<List<TaskEvent>> control, TrainerListener listener, AtomicBoolean stopRequested,
                        Map<String, String> provenanceExtras) {
        this(config, engine, source, sink, control, HardNegativeSource.none(), listener, stopRequested,
                provenanceExtras);
    }

    /** A loop that also joins mined hard negatives from {@code negatives} when the config turns them on. */
    public TrainingLoop(TrainerConfig config, TrainingEngine engine, ViewSource source, CheckpointSink sink,
                        Supplier<List<TaskEvent>> control, HardNegativeSource negatives, TrainerListener listener,
                        AtomicBoolean stopRequested, Map<String, String> provenanceExtras) {
        this.config = config;
        this.topics = new EventTopics(config.catalog());
        this.engine = engine;
        this.source = source;
        this.sink = sink;
        this.control = control;
        this.listener = listener;
        this.stopRequested = stopRequested;
        this.provenanceExtras = Map.copyOf(provenanceExtras);
        this.worker = "trainer:" + config.runId() + ":" + config.instanceId();
        this.shape = config.encoder().inputShape();
        this.scratch = new float[config.encoder().inputSize()];
        this.assembler = new ViewAssembler(config.views(), config.incompleteTimeout().toMillis());
        this.gate = new TaskGate(config.runId());
        for (String name : List.of("samples", "dropped", "deadLettered", "otherRun", "duplicates", "late",
                "skippedSteps", "skippedSamples", "replayNotOffered")) {
            counters.put(name, 0L);
        }
        this.rehearsal = Rehearsal.of(config);
        this.hardNegatives = HardNegatives.of(config, negatives);
        if (hardNegatives.isPresent()) {
            for (String name : List.of("negativesMined", "negativesFilled", "stepsWithoutNegatives")) {
                counters.put(name, 0L);
            }
        }
        this.usesTeacher = Losses.create(config.loss()).usesTeacher();
        rehearsal.ifPresent(r -> r.startTask(0));
    }

    /** Restores task state, counters and buffered views from a verified checkpoint (parameters already loaded). */
    public void restore(ResumePoint resume) {
        PendingViews pending = resume.pending();
        currentTask = pending.currentTask();
        doneInTask = pending.samplesDoneInTask();
        pending.counters().forEach(counters::put);
        long now = System.currentTimeMillis();
        for (BufferedView view : pending.views()) {
            buffer(view, now);
        }
        lastCheckpointStep = resume.event().getStep();
        lastCheckpoint = resume.event();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartitionOffset o : resume.event().getOffsets()) {
            offsets.put(new TopicPartition(o.getTopic(), o.getPartition()), o.getOffset());
        }
        lastCheckpointOffsets = offsets;
        if (rehearsal.isPresent()) {
            Rehearsal r = rehearsal.get();
            if (resume.replay().isPresent()) {
                try {
                    r.restore(resume.replay().get());
                } catch (IllegalArgumentException e) {
                    throw new TrainerAbortedException(TrainerAbortedException.Reason.CANNOT_RESUME, "checkpoint step "
                            + resume.event().getStep() + ": " + e.getMessage(), e);
                }
                LOG.info("replay buffer restored from checkpoint step {}: {} samples {}", resume.event().getStep(),
                        r.buffer().size(), r.buffer().countsByClass());
            } else {
                LOG.warn("replay is on but checkpoint step {} has no '{}' attachment (written without replay?);"
                        + " continuing with an empty replay buffer", resume.event().getStep(), REPLAY_ATTACHMENT);
            }
            for (int t = r.buffer().currentTask() + 1; t <= currentTask; t++) {
                r.startTask(t);
            }
        } else if (resume.replay().isPresent()) {
            LOG.info("checkpoint step {} holds a replay buffer but replay is off in this trainer; ignoring it",
                    resume.event().getStep());
        }
        if (usesTeacher && currentTask > 0) {
            // The teacher (end of the previous task) is not in a checkpoint; the resumed parameters are the closest.
            engine.snapshotTeacher();
            LOG.warn("loss {} uses a teacher: resumed mid-task {}, so the teacher is a snapshot of the resumed "
                    + "parameters (step {}), not of the end of task {}", config.loss().name(), currentTask,
                    resume.event().getStep(), currentTask - 1);
        }
        LOG.info("resumed run {} at step {}, task {} ({} samples done in it), {} pending views restored",
                config.runId(), resume.event().getStep(), currentTask, doneInTask, pending.views().size());
        listener.onResumed(resume.event(), rehearsal.map(Rehearsal::buffer));
    }

    /** Runs until a stop condition; see {@link StopReason}. */
    public TrainerSummary run() {
        source.onRebalance(new ViewSource.Rebalance() {
            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                dropPartitions(partitions, "revoked");
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                paused.removeAll(partitions);
                if (firstAssignment) {
                    firstAssignment = false;
                    Set<TopicPartition> foreign = new HashSet<>();
                    allBuffered().forEach(v -> foreign.add(v.location().topicPartition()));
                    foreign.removeAll(source.assignment());
                    if (!foreign.isEmpty()) {
                        dropPartitions(foreign, "not assigned to this instance");
                    }
                }
                LOG.info("assigned {}", partitions);
            }
        });
        long lastActivity = System.nanoTime();
        StopReason reason;
        compute = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "trainer-step-" + config.runId() + "-" + config.instanceId());
            thread.setDaemon(true);
            return thread;
        });
        try {
            while (true) {
                if (stopRequested.get()) {
                    Optional<StopReason> settled = settle();
                    reason = settled.orElse(StopReason.STOPPED);
                    break;
                }
                for (TaskEvent event : control.get()) {
                    gate.accept(event);
                }
                hardNegatives.ifPresent(HardNegatives::refresh);
                // While a step runs, keep reading (the consumer only receives fetched data inside poll) until the next
                // batches are buffered, but never block past the step's expected end; then wait for the step itself.
                boolean stepRunning = inFlight != null && !inFlight.isDone();
                boolean readAhead = stepRunning && ready.size() >= READ_AHEAD_BATCHES * config.batchSize();
                List<SourcedView> polled = readAhead ? List.of()
                        : source.poll(stepRunning ? untilStepEnd() : POLL_TIMEOUT);
                long now = System.currentTimeMillis();
                for (SourcedView record : polled) {
                    ingest(record, now);
                }
                expire(now);
                if (stepRunning && nextBatch == null && ready.size() >= config.batchSize()) {
                    prepareNextBatch();
                }
                if (polled.isEmpty() && stepRunning) {
                    awaitStep(POLL_TIMEOUT);
                }
                long settledBefore = settledSteps;
                Optional<StopReason> stop = inFlight != null && inFlight.isDone() ? settle() : Optional.empty();
                if (stop.isEmpty()) {
                    stop = trainReady();
                }
                if (stop.isEmpty()) {
                    stop = maybeEndTask();
                }
                if (!polled.isEmpty() || settledSteps != settledBefore || inFlight != null) {
                    lastActivity = System.nanoTime();
                }
                if (stop.isPresent()) {
                    reason = stop.get();
                    break;
                }
                flowControl();
                boolean idle = !config.idleTimeout().isZero()
                        && System.nanoTime() - lastActivity > config.idleTimeout().toNanos();
                boolean exhausted = polled.isEmpty() && source.exhausted() && ready.size() < config.batchSize();
                if (idle || exhausted) {
                    stop = settle();
                    if (stop.isEmpty()) {
                        stop = maybeEndTask();
                    }
                    if (stop.isPresent()) {
                        reason = stop.get();
                        break;
                    }
                    if (idle) {
                        LOG.info("nothing arrived or trained for {}; stopping", config.idleTimeout());
                    }
                    finalCheckpoint();
                    reason = idle ? StopReason.IDLE : StopReason.SOURCE_EXHAUSTED;
                    break;
                }
            }
        } finally {
            if (inFlight != null) {
                try {
                    inFlight.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    LOG.debug("step in flight failed while stopping: {}", e.getCause().toString());
                }
                inFlight = null;
            }
            compute.shutdown();
        }
        LOG.info("trainer {} stopped ({}): {} steps, {} samples, {} dropped, {} dead-lettered, {} views of other"
                + " runs skipped, {} updates skipped ({} samples)", worker, reason, engine.step(),
                counters.get("samples"), counters.get("dropped"), counters.get("deadLettered"),
                counters.get("otherRun"), counters.get("skippedSteps"), counters.get("skippedSamples"));
        logNegatives();
        return new TrainerSummary(reason, engine.step(), counters.get("samples"), counters.get("dropped"),
                counters.get("deadLettered"), counters.get("otherRun"), counters.get("skippedSteps"),
                counters.get("skippedSamples"), counters.getOrDefault("negativesMined", 0L),
                counters.getOrDefault("negativesFilled", 0L), Optional.ofNullable(lastCheckpoint));
    }

    private void ingest(SourcedView record, long now) {
        ViewLocation location = record.location();
        AugmentedView view;
        byte[] key = null;
        byte[] value = null;
        if (record instanceof SourcedView.Raw raw) {
            key = raw.key();
            value = raw.value();
            if (value == null) {
                deadLetter(location, key, null, ViewCheck.UNDECODABLE, "record value is null (a tombstone)");
                return;
            }
            try {
                view = VIEW_CODEC.decode(value);
            } catch (EventDecodingException e) {
                deadLetter(location, key, value, ViewCheck.UNDECODABLE,
                        e.at(location.topic(), location.partition(), location.offset()).getMessage());
                return;
            }
        } else {
            view = ((SourcedView.Decoded) record).view();
        }
        ViewCheck check = ViewCheck.of(view, config.runId(), config.views(), shape, scratch);
        if (check instanceof ViewCheck.OtherRun) {
            increment("otherRun", 1);
            return;
        }
        if (check instanceof ViewCheck.Invalid invalid) {
            deadLetter(location, key, value != null ? value : VIEW_CODEC.encode(view), ViewCheck.INVALID_VIEW,
                    invalid.reason());
            return;
        }
        buffer(new BufferedView(location, key, value, view), now);
    }

    private void buffer(BufferedView view, long now) {
        if (view.taskId() > currentTask) {
            gated.add(view.location().topicPartition());
        }
        ViewAssembler.Added added = assembler.add(view, now);
        if (added instanceof ViewAssembler.Added.Completed completed) {
            route(completed.sample());
        } else if (added instanceof ViewAssembler.Added.Duplicate duplicate) {
            increment("duplicates", 1);
            LOG.debug("duplicate view {} of sample {} at {}; keeping the one at {}", view.view().getViewIndex(),
                    view.view().getSampleId(), view.location(), duplicate.kept().location());
        }
    }

    private void route(AssembledSample sample) {
        if (sample.taskId() > currentTask) {
            waiting.add(sample);
        } else {
            if (sample.taskId() < currentTask) {
                increment("late", 1);
            }
            ready.add(sample);
        }
    }

    private void deadLetter(ViewLocation location, byte[] key, byte[] value, String errorType, String reason) {
        LOG.warn("dead-lettering {} ({}): {}", location, errorType, reason);
        deadLetters.add(new QueuedDeadLetter(location.topicPartition(), DeadLetters.of(topics.deadLetter(),
                location.topic(), location.partition(), location.offset(), key, value, errorType, reason, worker)));
        increment("deadLettered", 1);
    }

    private void expire(long now) {
        for (ViewAssembler.Incomplete incomplete : assembler.expire(now, currentTask)) {
            LOG.warn("dropped incomplete sample {} epoch {} (task {}): only views {} of {} arrived within {}",
                    incomplete.sampleId(), incomplete.epoch(), incomplete.taskId(), incomplete.present(),
                    config.views(), config.incompleteTimeout());
            increment("dropped", 1);
            countDone(incomplete.taskId(), 1);
        }
    }

    private void countDone(int taskId, long samples) {
        if (taskId == currentTask) {
            doneInTask += samples;
        } else if (taskId > currentTask) {
            droppedAhead.merge(taskId, samples, Long::sum);
        }
    }

    /** Starts full batches while no step is running (the loop comes back when the step in flight ends). */
    private Optional<StopReason> trainReady() {
        while (ready.size() >= config.batchSize() && !stopRequested.get()
                && (inFlight == null || inFlight.isDone())) {
            Optional<StopReason> stop = trainBatch(config.batchSize());
            if (stop.isPresent()) {
                return stop;
            }
        }
        return Optional.empty();
    }

    /**
     * Settles the step in flight, then assembles the next {@code n} ready samples and starts their step on the
     * compute thread, so polling and decoding the following records overlaps with it. At most one step is in flight
     * and each starts only after the previous one has been accounted (checkpoints see a settled engine).
     */
    private Optional<StopReason> trainBatch(int n) {
        Optional<StopReason> stop = settle();
        if (stop.isPresent() || stopRequested.get()) {
            return stop;
        }
        List<AssembledSample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(ready.poll());
        }
        TrainBatch current = nextBatch != null && sameSamples(nextBatch.samples(), samples) ? nextBatch.batch()
                : BatchAssembler.assemble(samples, config.views(), shape);
        nextBatch = null;
        long draw = engine.step();
        Optional<HardNegatives.Plan> plan = hardNegatives.map(h -> h.plan(samples));
        inFlightSamples = samples;
        stepStarted = System.nanoTime();
        inFlight = compute.submit(() -> {
            TrainBatch composed = rehearsal.isPresent() ? rehearsal.get().compose(current, draw) : current;
            HardNegatives.Attached attached = hardNegatives.isPresent()
                    ? hardNegatives.get().attach(composed, plan.get(), draw)
                    : new HardNegatives.Attached(composed, 0, 0);
            TrainBatch batch = attached.batch();
            Outcome outcome = new Outcome(batch, engine.step(batch), attached.mined(), attached.filled());
            lastStepNanos = System.nanoTime() - stepStarted;
            return outcome;
        });
        return Optional.empty();
    }

    /**
     * Copies the next full batch's pixels while the step in flight runs, so starting it after the step is only a
     * hand-off. The samples stay in {@code ready} (a checkpoint in between still holds them); {@link #trainBatch}
     * uses the copy only if the same samples are still first in line.
     */
    private void prepareNextBatch() {
        List<AssembledSample> samples = new ArrayList<>(config.batchSize());
        Iterator<AssembledSample> it = ready.iterator();
        for (int i = 0; i < config.batchSize(); i++) {
            samples.add(it.next());
        }
        nextBatch = new PreparedBatch(samples, BatchAssembler.assemble(samples, config.views(), shape));
    }

    private static boolean sameSamples(List<AssembledSample> a, List<AssembledSample> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** How long the step in flight should still take, judging by the last one (at least 1 ms, at most the poll timeout). */
    private Duration untilStepEnd() {
        long remaining = lastStepNanos - (System.nanoTime() - stepStarted);
        return Duration.ofNanos(Math.max(1_000_000L, Math.min(remaining, POLL_TIMEOUT.toNanos())));
    }

    /** Waits up to {@code timeout} for the step in flight to end; {@link #settle} then accounts for it. */
    private void awaitStep(Duration timeout) {
        try {
            inFlight.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running, or failed: settle() reports the failure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a training step was running", e);
        }
    }

    /** Waits for the step in flight (if any) and accounts for it: counters, listener, periodic checkpoint, maxSteps. */
    private Optional<StopReason> settle() {
        if (inFlight == null) {
            return Optional.empty();
        }
        Outcome outcome;
        try {
            outcome = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a training step was running", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("training step failed", e.getCause());
        } finally {
            inFlight = null;
        }
        StepResult result = outcome.result();
        List<AssembledSample> samples = inFlightSamples;
        inFlightSamples = List.of();
        settledSteps++;
        int n = samples.size();
        for (AssembledSample sample : samples) {
            countDone(sample.taskId(), 1);
        }
        if (!(result instanceof StepResult.Stepped stepped)) {
            increment("skippedSteps", 1);
            increment("skippedSamples", n);
            if (LOG.isWarnEnabled()) {
                // (sample id, epoch) and the run's recipes recreate the batch's views bit for bit, to replay the step
                LOG.warn("update after step {} skipped ({}); its {} samples count as done for task {}: {}",
                        result.step(), ((StepResult.Skipped) result).reason(), n, currentTask, samples.stream()
                                .map(s -> s.sampleId() + "@" + s.epoch()).collect(Collectors.joining(" ")));
            }
            return Optional.empty();
        }
        increment("samples", n);
        List<ViewLocation> trained = new ArrayList<>(n * config.views());
        for (AssembledSample sample : samples) {
            sample.views().forEach(v -> trained.add(v.location()));
        }
        listener.onBatchTrained(stepped.step(), trained);
        listener.onBatch(stepped.step(), outcome.batch());
        if (rehearsal.isPresent()) {
            increment("replayNotOffered", rehearsal.get().offer(samples));
        }
        if (hardNegatives.isPresent()) {
            increment("negativesMined", outcome.minedNegatives());
            increment("negativesFilled", outcome.filledNegatives());
            increment("stepsWithoutNegatives", outcome.batch().negativePixels().isPresent() ? 0 : 1);
            hardNegatives.get().offer(samples);
        }
        updateRate(n);
        listener.onStep(new TrainerProgress(stepped.step(), samplesPerSecond, stepped.loss(), stepped.learningRate(),
                engine.device().toString(), currentTask, bufferedSamples(), counters.get("samples"),
                counters.get("dropped"), counters.get("deadLettered")));
        if (stepped.step() % config.checkpointEverySteps() == 0 && !currentTaskComplete()) {
            checkpoint(false);
        }
        if (config.maxSteps() > 0 && stepped.step() >= config.maxSteps()) {
            LOG.info("reached maxSteps {}", config.maxSteps());
            finalCheckpoint();
            return Optional.of(StopReason.MAX_STEPS);
        }
        return Optional.empty();
    }

    /**
     * Every expected sample of the current task is trained or dropped: the task-end checkpoint follows at this same
     * step, so a periodic checkpoint here would publish the same parameters and offsets twice. (If a stop is requested
     * in between, the step is redone after resume, like any step after the last checkpoint.)
     */
    private boolean currentTaskComplete() {
        OptionalLong expected = gate.expectedSamples(currentTask);
        return expected.isPresent() && doneInTask >= expected.getAsLong();
    }

    private Optional<StopReason> maybeEndTask() {
        OptionalLong expected = gate.expectedSamples(currentTask);
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        long pendingOwn = ready.stream().filter(s -> s.taskId() == currentTask).count()
                + inFlightSamples.stream().filter(s -> s.taskId() == currentTask).count();
        if (doneInTask + pendingOwn < expected.getAsLong() || stopRequested.get()
                || ready.size() >= config.batchSize()) {
            // full batches first, through trainReady, once the step in flight has ended
            return Optional.empty();
        }
        Optional<StopReason> settled = settle();
        if (settled.isPresent()) {
            return settled;
        }
        if (ready.size() >= 2) {
            Optional<StopReason> stop = trainBatch(ready.size());
            if (stop.isEmpty()) {
                stop = settle();
            }
            if (stop.isPresent() || stopRequested.get()) {
                return stop;
            }
        } else if (ready.size() == 1) {
            AssembledSample lone = ready.poll();
            LOG.warn("dropped sample {} epoch {}: the only one left at the end of task {} (a batch needs two)",
                    lone.sampleId(), lone.epoch(), currentTask);
            increment("dropped", 1);
            countDone(lone.taskId(), 1);
        }
        LOG.info("task {} ended at step {} ({} samples trained or dropped)", currentTask, engine.step(), doneInTask);
        checkpoint(true);
        listener.onTaskEnd(currentTask, engine.step(), rehearsal.map(Rehearsal::buffer));
        if (config.stopAfterLastTask() && gate.isLast(currentTask)) {
            return Optional.of(StopReason.LAST_TASK);
        }
        currentTask++;
        rehearsal.ifPresent(r -> r.startTask(currentTask));
        if (usesTeacher) {
            engine.snapshotTeacher();
        }
        doneInTask = droppedAhead.getOrDefault(currentTask, 0L);
        droppedAhead.remove(currentTask);
        assembler.restartClock(currentTask, System.currentTimeMillis());
        Iterator<AssembledSample> it = waiting.iterator();
        while (it.hasNext()) {
            AssembledSample sample = it.next();
            if (sample.taskId() <= currentTask) {
                it.remove();
                ready.add(sample);
            }
        }
        gated.clear();
        for (BufferedView view : allBuffered()) {
            if (view.taskId() > currentTask) {
                gated.add(view.location().topicPartition());
            }
        }
        return Optional.empty();
    }

    private void flowControl() {
        int buffered = ready.size() + assembler.incompleteSamples(currentTask);
        if (!backPressure && buffered >= config.maxBufferedSamples()) {
            backPressure = true;
            LOG.debug("back-pressure on: {} samples buffered", buffered);
        } else if (backPressure && buffered <= config.maxBufferedSamples() / 2) {
            backPressure = false;
            LOG.debug("back-pressure off: {} samples buffered", buffered);
        }
        Set<TopicPartition> assignment = source.assignment();
        Set<TopicPartition> desired = new HashSet<>(backPressure ? assignment : gated);
        desired.retainAll(assignment);
        Set<TopicPartition> toPause = new HashSet<>(desired);
        toPause.removeAll(paused);
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(desired);
        if (!toPause.isEmpty()) {
            source.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            source.resume(toResume);
        }
        paused.clear();
        paused.addAll(desired);
    }

    private void dropPartitions(Collection<TopicPartition> partitions, String why) {
        int samples = assembler.dropPartitions(partitions);
        Set<TopicPartition> set = Set.copyOf(partitions);
        samples += removeIf(ready, set) + removeIf(waiting, set);
        deadLetters.removeIf(d -> set.contains(d.source()));
        gated.removeAll(set);
        paused.removeAll(set);
        LOG.info("partitions {} {}: dropped {} buffered samples (they are re-read from the last checkpoint)",
                partitions, why, samples);
    }

    private static int removeIf(Collection<AssembledSample> samples, Set<TopicPartition> partitions) {
        int before = samples.size();
        samples.removeIf(s -> s.views().stream().anyMatch(v -> partitions.contains(v.location().topicPartition())));
        return before - samples.size();
    }

    private List<BufferedView> allBuffered() {
        List<BufferedView> views = new ArrayList<>(assembler.bufferedViews());
        ready.forEach(s -> views.addAll(s.views()));
        waiting.forEach(s -> views.addAll(s.views()));
        return views;
    }

    private int bufferedSamples() {
        return ready.size() + waiting.size() + assembler.incompleteSamples();
    }

    private void finalCheckpoint() {
        if (sink.enabled() && (engine.step() != lastCheckpointStep
                || !source.positions().equals(lastCheckpointOffsets) || !deadLetters.isEmpty())) {
            checkpoint(false);
        }
    }

    private void checkpoint(boolean taskEnd) {
        if (!sink.enabled()) {
            return;
        }
        if (inFlight != null) {
            throw new IllegalStateException("checkpoint requested while a step is in flight");
        }
        long step = engine.step();
        String base = String.format("%s-%d-step%09d-%d", config.runId(), config.instanceId(), step,
                System.currentTimeMillis());
        StoredCheckpoint parameters;
        try {
            parameters = engine.saveCheckpoint(config.checkpointDir(), base + ".params");
        } catch (NonFiniteParametersException e) {
            String message = "training diverged: parameters hold non-finite values at step " + step
                    + "; no checkpoint published. Resume from the last good checkpoint"
                    + (lastCheckpoint == null ? "" : " (step " + lastCheckpoint.getStep() + ", "
                    + lastCheckpoint.getParameterUri() + ")")
                    + " with a lower learning rate or gradient clipping";
            LOG.error(message);
            throw new TrainerAbortedException(TrainerAbortedException.Reason.NON_FINITE_PARAMETERS, message, e);
        }
        PendingViews pending = new PendingViews(currentTask, doneInTask, counters, allBuffered());
        StoredCheckpoint pendingFile = io.contrastream.model.CheckpointFiles.writeBlob(config.checkpointDir(),
                base + ".pending", pending::writeTo);
        List<Attachment> attachments = new ArrayList<>();
        attachments.add(new Attachment(PENDING_ATTACHMENT, pendingFile.uri().toString(), pendingFile.sha256Hex(),
                pendingFile.byteSize()));
        if (rehearsal.isPresent()) {
            StoredCheckpoint replayFile = rehearsal.get().write(config.checkpointDir(), base + ".replay");
            attachments.add(new Attachment(REPLAY_ATTACHMENT, replayFile.uri().toString(), replayFile.sha256Hex(),
                    replayFile.byteSize()));
        }
        Optional<StoredCheckpoint> optimizerFile = engine.saveOptimizerState(config.checkpointDir(),
                base + ".optimizer");
        optimizerFile.ifPresent(f -> attachments.add(new Attachment(OPTIMIZER_ATTACHMENT, f.uri().toString(),
                f.sha256Hex(), f.byteSize())));
        Map<TopicPartition, Long> offsets = source.positions();
        List<TopicPartitionOffset> offsetList = new ArrayList<>();
        offsets.forEach((tp, offset) -> offsetList.add(new TopicPartitionOffset(tp.topic(), tp.partition(), offset)));
        Map<String, String> provenanceConfig = new LinkedHashMap<>(config.toMap());
        provenanceConfig.putAll(provenanceExtras);
        CheckpointEvent event = CheckpointEvent.newBuilder()
                .setRunId(config.runId()).setStep(step).setTaskId(currentTask).setTaskEnd(taskEnd)
                .setParameterUri(parameters.uri().toString()).setSha256(parameters.sha256Hex())
                .setByteSize(parameters.byteSize())
                .setEncoderSpec(config.encoder().toMap()).setLossConfig(config.loss().toMap())
                .setOffsets(offsetList)
                .setAttachments(attachments)
                .setProvenance(Provenance.newBuilder().setConfig(provenanceConfig).setSeed(config.seed())
                        .setCodeVersion(provenanceExtras.getOrDefault("codeVersion", "dev"))
                        .setJavaVersion(System.getProperty("java.version"))
                        .setOs(System.getProperty("os.name")).setArch(System.getProperty("os.arch"))
                        .setDevice(engine.device().toString()).build())
                .setCreatedAt(Instant.now())
                .build();
        List<ProducerRecord<String, DeadLetter>> letters = deadLetters.stream().map(QueuedDeadLetter::record).toList();
        List<ProducerRecord<String, ReplayEntry>> replaySlots = rehearsal.isPresent()
                ? rehearsal.get().changedSlots(topics.replay().name()) : List.of();
        sink.publish(event, letters, replaySlots, offsets);
        rehearsal.ifPresent(Rehearsal::markPublished);
        deadLetters.clear();
        lastCheckpointStep = step;
        lastCheckpointOffsets = offsets;
        lastCheckpoint = event;
        LOG.info("checkpoint step {} task {}{} committed: {} ({} pending views, {} dead letters, {} replay slots)",
                step, currentTask, taskEnd ? " (task end)" : "", parameters.uri(), pending.views().size(),
                letters.size(), replaySlots.size());
        logNegatives();
        listener.onCheckpoint(event);
    }

    /** Name of the pending-view attachment in {@link CheckpointEvent#getAttachments()}. */
    public static final String PENDING_ATTACHMENT = "pending-views";

    /** Name of the replay-buffer attachment ({@code ReplayBuffer.writeTo} format) when replay is on. */
    public static final String REPLAY_ATTACHMENT = "replay";

    /**
     * Name of the optimiser-state attachment ({@code AdamState} format) when the engine can save its optimiser state
     * (Adam with direct updates, the default); absent otherwise, and a resume then restarts the optimiser's moments.
     */
    public static final String OPTIMIZER_ATTACHMENT = "optimizer";

    private void logNegatives() {
        hardNegatives.ifPresent(h -> LOG.info("hard negatives at step {}: {} mined and {} filled negatives trained,"
                        + " {} steps without negatives; {}", engine.step(), counters.get("negativesMined"),
                counters.get("negativesFilled"), counters.get("stepsWithoutNegatives"), h.describe()));
    }

    private void updateRate(int samples) {
        rateWindowSamples += samples;
        long now = System.nanoTime();
        long elapsed = now - rateWindowStart;
        if (elapsed >= 1_000_000_000L || samplesPerSecond == 0) {
            samplesPerSecond = rateWindowSamples / (elapsed / 1e9);
            rateWindowStart = now;
            rateWindowSamples = 0;
        }
    }

    private void increment(String counter, long by) {
        counters.merge(counter, by, Long::sum);
    }
}
