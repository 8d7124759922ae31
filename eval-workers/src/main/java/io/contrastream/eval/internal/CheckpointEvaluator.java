package io.contrastream.eval.internal;

import ai.djl.ndarray.NDManager;
import io.contrastream.eval.CheckpointFailure;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.eval.metrics.NearestClassMean;
import io.contrastream.eval.metrics.SuiteRunner;
import io.contrastream.eval.metrics.WeightedKnn;
import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.ContrastiveEncoder;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import io.contrastream.model.InvalidEncoderSpecException;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.CheckpointEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one checkpoint, Kafka-free: parses the encoder spec, verifies the parameter file (and a task-end
 * checkpoint's replay attachment) before any byte reaches DJL, loads a fresh encoder, embeds the data with the
 * backbone and runs the suite; on a task-end checkpoint with a replay buffer, adds the class-incremental metrics.
 *
 * <p>A task-end checkpoint can follow a periodic one of the same run at the same step with the same parameters (the
 * trainer knows that a task is complete only once it has read the task's START event, which may come after the
 * periodic checkpoint of the task's last step). Its suite values are then those of the previous evaluation, reused
 * instead of computed again (same run, step and parameter SHA-256), and only the class-incremental metrics are added.
 * One instance evaluates one checkpoint at a time (not thread-safe).
 */
public final class CheckpointEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointEvaluator.class);

    /** Name of the replay-buffer attachment of a checkpoint. */
    public static final String REPLAY_ATTACHMENT = "replay";

    /** Classes of tasks 0..taskId of a run, empty when unknown. */
    @FunctionalInterface
    public interface TaskClasses {
        Optional<SortedMap<Integer, int[]>> classesUpTo(String runId, int taskId);
    }

    /** Outcome of one evaluation. */
    public sealed interface Evaluation {
        /** Metrics computed; {@code continualNote} says what happened to the continual-learning metrics. */
        record Done(List<MetricValue> metrics, String continualNote) implements Evaluation {
        }

        /** Bad input; nothing was loaded (or the load was refused). */
        record Refused(CheckpointFailure failure) implements Evaluation {
        }
    }

    /** The suite values and test embeddings of the last parameters evaluated. */
    private record SuiteResult(String runId, long step, String sha256, List<MetricValue> metrics, float[][] test) {
        boolean of(CheckpointEvent event) {
            return runId.equals(event.getRunId()) && step == event.getStep() && sha256.equals(event.getSha256());
        }
    }

    private SuiteResult last;
    private final EvaluationData data;
    private final MetricSuite suite;
    private final int batchSize;
    private final int suiteThreads;
    private final TaskClasses taskClasses;

    /**
     * @param data        evaluation images
     * @param suite       suite to run
     * @param batchSize    embedding batch size
     * @param suiteThreads metric families computed in parallel
     * @param taskClasses  task class sets, for continual-learning metrics
     */
    public CheckpointEvaluator(EvaluationData data, MetricSuite suite, int batchSize, int suiteThreads,
                               TaskClasses taskClasses) {
        this.data = data;
        this.suite = suite;
        this.batchSize = batchSize;
        this.suiteThreads = suiteThreads;
        this.taskClasses = taskClasses;
    }

    /** Evaluates {@code event}, reporting suite progress to {@code progress}. */
    public Evaluation evaluate(CheckpointEvent event, SuiteRunner.ProgressListener progress) {
        EncoderSpec spec;
        try {
            spec = EncoderSpec.fromMap(event.getEncoderSpec());
        } catch (InvalidEncoderSpecException e) {
            return new Evaluation.Refused(CheckpointFailure.of(e));
        }
        if (!Arrays.equals(spec.inputShape(), data.shape())) {
            return new Evaluation.Refused(new CheckpointFailure(CheckpointFailure.Reason.INPUT_SHAPE_MISMATCH, "",
                    "encoder input " + Arrays.toString(spec.inputShape()) + " but dataset " + data.dataset()
                            + " has images " + Arrays.toString(data.shape()) + "; evaluate with a matching --dataset"));
        }
        Optional<StoredCheckpoint> parameters = stored(event.getParameterUri(), event.getSha256(),
                event.getByteSize());
        if (parameters.isEmpty()) {
            return invalid("parameters", event.getParameterUri(), event.getSha256(), event.getByteSize());
        }
        ReplayBuffer buffer = null;
        if (event.getTaskEnd()) {
            Optional<Attachment> replay = event.getAttachments().stream()
                    .filter(a -> REPLAY_ATTACHMENT.equals(a.getName())).findFirst();
            if (replay.isPresent()) {
                Attachment a = replay.get();
                Optional<StoredCheckpoint> stored = stored(a.getUri(), a.getSha256(), a.getByteSize());
                if (stored.isEmpty()) {
                    return invalid(REPLAY_ATTACHMENT, a.getUri(), a.getSha256(), a.getByteSize());
                }
                CheckpointFiles.Read read = CheckpointFiles.read(stored.get());
                if (read instanceof CheckpointFiles.Read.Refused refused) {
                    return new Evaluation.Refused(CheckpointFailure.of(REPLAY_ATTACHMENT, refused.check()));
                }
                CheckpointFiles.Read.Ok ok = (CheckpointFiles.Read.Ok) read;
                try {
                    buffer = ReplayBuffer.readFrom(new ByteArrayInputStream(ok.bytes()));
                } catch (IOException | RuntimeException e) {
                    return new Evaluation.Refused(new CheckpointFailure(CheckpointFailure.Reason.MALFORMED,
                            REPLAY_ATTACHMENT, ok.check().file() + " verified but is not a replay buffer: "
                            + e.getMessage()));
                }
                if (!Arrays.equals(buffer.config().shape(), spec.inputShape())) {
                    return new Evaluation.Refused(new CheckpointFailure(CheckpointFailure.Reason.MALFORMED,
                            REPLAY_ATTACHMENT, "replay samples " + Arrays.toString(buffer.config().shape())
                            + " do not fit the encoder input " + Arrays.toString(spec.inputShape())));
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = Encoders.build(spec).initialize(manager);
            CheckpointCheck check = CheckpointFiles.load(parameters.get(), encoder.network(), manager);
            if (!(check instanceof CheckpointCheck.Verified)) {
                return new Evaluation.Refused(CheckpointFailure.of("parameters", check));
            }
            try {
                return run(event, encoder, manager, buffer, progress);
            } catch (RuntimeException e) {
                LOG.warn("evaluating run {} step {} failed", event.getRunId(), event.getStep(), e);
                return new Evaluation.Refused(new CheckpointFailure(CheckpointFailure.Reason.EVALUATION_ERROR, "",
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
    }

    private Evaluation.Done run(CheckpointEvent event, ContrastiveEncoder encoder, NDManager manager,
                                ReplayBuffer buffer, SuiteRunner.ProgressListener progress) {
        Embedder embedder = new Embedder(manager, encoder, batchSize);
        float[][] test;
        List<MetricValue> metrics;
        if (last != null && last.of(event)) {
            LOG.info("run {} step {}: the same parameters as the checkpoint evaluated before (SHA-256 {}); reusing its"
                    + " suite values", event.getRunId(), event.getStep(), event.getSha256());
            test = last.test();
            metrics = new ArrayList<>(last.metrics());
        } else {
            last = null;
            test = embedder.embed(data.testImages());
            float[][] train = embedder.embed(data.trainImages());
            SuiteRunner.Input input = SuiteRunner.Input.of(train, data.trainLabels(), test, data.testLabels(), "test");
            if (suite.includes(MetricSuite.Metric.ADVERSARIAL) || suite.includes(MetricSuite.Metric.CORRUPTION)) {
                input = input.withRobustness(new SuiteRunner.RobustnessInput(manager, encoder.backbone(),
                        data.robustImages(), data.robustLabels()));
            }
            metrics = new ArrayList<>(new ParallelSuite(suite, suiteThreads).run(input, progress));
            last = new SuiteResult(event.getRunId(), event.getStep(), event.getSha256(), List.copyOf(metrics), test);
        }
        String continualNote = "";
        if (event.getTaskEnd()) {
            continualNote = continual(event, embedder, buffer, test, metrics);
            LOG.info("run {} step {} task {}: continual-learning metrics: {}", event.getRunId(), event.getStep(),
                    event.getTaskId(), continualNote);
        }
        return new Evaluation.Done(metrics, continualNote);
    }

    private String continual(CheckpointEvent event, Embedder embedder, ReplayBuffer buffer, float[][] test,
                             List<MetricValue> out) {
        if (buffer == null) {
            return "skipped: no replay attachment (NME needs the learner's exemplars)";
        }
        List<ReplaySample> exemplars = buffer.exemplars();
        if (exemplars.isEmpty()) {
            return "skipped: the replay buffer is empty";
        }
        Optional<SortedMap<Integer, int[]>> tasks = taskClasses.classesUpTo(event.getRunId(), event.getTaskId());
        if (tasks.isEmpty()) {
            return "skipped: no START task events for tasks 0.." + event.getTaskId() + " of run "
                    + event.getRunId() + " on the control topic";
        }
        int[] seen = tasks.get().values().stream().flatMapToInt(Arrays::stream).distinct().sorted().toArray();
        int[] keep = IntStream.range(0, test.length)
                .filter(i -> Arrays.binarySearch(seen, data.testLabels()[i]) >= 0).toArray();
        if (keep.length == 0) {
            return "skipped: no test samples of the seen classes " + Arrays.toString(seen);
        }
        float[][] seenTest = new float[keep.length][];
        int[] seenLabels = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            seenTest[i] = test[keep[i]];
            seenLabels[i] = data.testLabels()[keep[i]];
        }
        float[][] images = new float[exemplars.size()][];
        int[] labels = new int[exemplars.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = exemplars.get(i).image().pixels();
            labels[i] = exemplars.get(i).label();
        }
        float[][] memory = embedder.embed(images);
        NearestClassMean nme = NearestClassMean.fit(memory, labels);
        double sum = 0;
        int counted = 0;
        for (Map.Entry<Integer, int[]> task : tasks.get().entrySet()) {
            double accuracy = nme.evaluateTask(seenTest, seenLabels, task.getValue()).accuracy();
            out.add(new MetricValue("cl-accuracy", accuracy, "test", Map.of("task",
                    Integer.toString(task.getKey()))));
            if (!Double.isNaN(accuracy)) {
                sum += accuracy;
                counted++;
            }
        }
        out.add(MetricValue.of("cl-average-accuracy", counted == 0 ? Double.NaN : sum / counted, "test"));
        WeightedKnn.Result knn = new WeightedKnn(Math.min(suite.knnK(), memory.length), suite.knnTau())
                .evaluate(memory, labels, seenTest, seenLabels);
        out.add(new MetricValue("knn-buffer-accuracy", knn.accuracy(), "test", Map.of("k",
                Integer.toString(knn.k()))));
        return "NME over " + memory.length + " exemplars of classes " + Arrays.toString(nme.classes()) + ", "
                + keep.length + " test samples of " + tasks.get().size() + " tasks";
    }

    private static Optional<StoredCheckpoint> stored(String uri, String sha256, long byteSize) {
        try {
            URI parsed = URI.create(uri);
            if (!"file".equals(parsed.getScheme())) {
                return Optional.empty();
            }
            Path.of(parsed);
            return Optional.of(new StoredCheckpoint(parsed, sha256, byteSize));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Evaluation invalid(String file, String uri, String sha256, long byteSize) {
        return new Evaluation.Refused(new CheckpointFailure(CheckpointFailure.Reason.INVALID_EVENT, file,
                "uri '" + uri + "' (must be an absolute file: URI), sha256 '" + sha256
                        + "' (must be 64 hex digits), byteSize " + byteSize + " (must be >= 0)"));
    }
}
