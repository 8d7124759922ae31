package io.contrastream.eval.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.contrastream.data.Example;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.eval.CheckpointFailure;
import io.contrastream.eval.TestCheckpoints;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.eval.metrics.SuiteRunner;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayConfig;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.schemas.CheckpointEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointEvaluatorTest {

    private static final EncoderSpec SPEC = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 8, 8}, List.of(16),
            8, 4);
    private static EvaluationData data;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadData() {
        SyntheticShapes test = new SyntheticShapes("test", 60, 1, 8, 8, 3);
        SyntheticShapes train = new SyntheticShapes("train", 80, 1, 8, 8, 3);
        float[][] testImages = new float[test.size()][];
        int[] testLabels = new int[test.size()];
        for (int i = 0; i < test.size(); i++) {
            testImages[i] = test.get(i).image().pixels();
            testLabels[i] = test.label(i);
        }
        float[][] trainImages = new float[train.size()][];
        int[] trainLabels = new int[train.size()];
        for (int i = 0; i < train.size(); i++) {
            trainImages[i] = train.get(i).image().pixels();
            trainLabels[i] = train.label(i);
        }
        data = new EvaluationData("synthetic", new int[] {1, 8, 8}, testImages, testLabels, trainImages, trainLabels,
                20);
    }

    private StoredCheckpoint checkpoint(String name) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return CheckpointFiles.write(dir, name, Encoders.build(SPEC).initialize(manager, 11).network());
        }
    }

    private static CheckpointEvaluator evaluator(CheckpointEvaluator.TaskClasses tasks) {
        return new CheckpointEvaluator(data, MetricSuite.fast(), 32, 2, tasks);
    }

    private static CheckpointEvaluator.Evaluation evaluate(CheckpointEvent event) {
        return evaluator((run, task) -> Optional.empty()).evaluate(event, SuiteRunner.ProgressListener.none());
    }

    private static CheckpointFailure.Reason refusal(CheckpointEvaluator.Evaluation e) {
        return assertInstanceOf(CheckpointEvaluator.Evaluation.Refused.class, e).failure().reason();
    }

    @Test
    void shouldComputeTheFastSuiteOnAVerifiedCheckpoint() {
        CheckpointEvaluator.Evaluation e = evaluate(TestCheckpoints.event("r", 5, checkpoint("ok"), SPEC));
        List<MetricValue> metrics = assertInstanceOf(CheckpointEvaluator.Evaluation.Done.class, e).metrics();
        assertTrue(metrics.stream().anyMatch(m -> m.name().equals("recall@1") && m.value() >= 0 && m.value() <= 1));
        assertTrue(metrics.stream().anyMatch(m -> m.name().equals("knn-accuracy")));
        assertTrue(metrics.stream().anyMatch(m -> m.name().equals("auc")));
    }

    @Test
    void shouldRefuseATamperedFileWithoutLoadingIt() throws Exception {
        StoredCheckpoint stored = checkpoint("tampered");
        Path file = Path.of(stored.uri());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        assertEquals(CheckpointFailure.Reason.HASH_MISMATCH, refusal(evaluate(TestCheckpoints.event("r", 1, stored,
                SPEC))));
    }

    @Test
    void shouldRefuseATruncatedFile() throws Exception {
        StoredCheckpoint stored = checkpoint("truncated");
        Path file = Path.of(stored.uri());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertEquals(CheckpointFailure.Reason.SIZE_MISMATCH, refusal(evaluate(TestCheckpoints.event("r", 1, stored,
                SPEC))));
    }

    @Test
    void shouldRefuseAMissingFile() throws Exception {
        StoredCheckpoint stored = checkpoint("gone");
        Files.delete(Path.of(stored.uri()));
        assertEquals(CheckpointFailure.Reason.FILE_MISSING, refusal(evaluate(TestCheckpoints.event("r", 1, stored,
                SPEC))));
    }

    @Test
    void shouldRefuseAnUnknownEncoderKindAndAMismatchedInputShape() {
        StoredCheckpoint stored = checkpoint("spec");
        Map<String, String> unknown = new TreeMap<>(SPEC.toMap());
        unknown.put("kind", "VIT");
        assertEquals(CheckpointFailure.Reason.UNKNOWN_ENCODER_KIND, refusal(evaluate(TestCheckpoints.event("r", 1, 0,
                false, stored, unknown, List.of()))));
        EncoderSpec wide = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {1, 28, 28}, List.of(16), 8, 4);
        assertEquals(CheckpointFailure.Reason.INPUT_SHAPE_MISMATCH, refusal(evaluate(TestCheckpoints.event("r", 1,
                stored, wide))));
    }

    @Test
    void shouldRefuseANonFileUri() {
        StoredCheckpoint stored = checkpoint("uri");
        CheckpointEvent event = TestCheckpoints.event("r", 1, stored, SPEC);
        event.setParameterUri("s3://bucket/ckpt");
        assertEquals(CheckpointFailure.Reason.INVALID_EVENT, refusal(evaluate(event)));
    }

    /** A replay buffer file of the synthetic samples of tasks 0..tasks-1 (two classes per task, task = label / 2). */
    private StoredCheckpoint replayBuffer(String name, int tasks) {
        ReplayBuffer buffer = ReplayBuffer.create(new ReplayConfig("r", 40, ReplayPolicy.RESERVOIR, 1, 8, 8, 1));
        buffer.onTaskStart("r", 0);
        SyntheticShapes train = new SyntheticShapes("train", 40, 1, 8, 8, 5);
        for (int i = 0; i < train.size(); i++) {
            Example x = train.get(i);
            if (x.label() < 2 * tasks) {
                buffer.offer(new ReplaySample(x.sampleId(), x.label(), x.label() / 2, x.image()));
            }
        }
        return CheckpointFiles.writeBlob(dir, name, buffer::writeTo);
    }

    @Test
    void shouldScoreEachSeenTaskWithNearestClassMeanOverTheReplayBuffer() {
        StoredCheckpoint replay = replayBuffer("replay", 2);
        CheckpointEvent event = TestCheckpoints.event("r", 9, 1, true, checkpoint("cl"), SPEC.toMap(),
                List.of(TestCheckpoints.attachment("replay", replay), TestCheckpoints.attachment("pending", replay)));
        TreeMap<Integer, int[]> tasks = new TreeMap<>(Map.of(0, new int[] {0, 1}, 1, new int[] {2, 3}));
        CheckpointEvaluator.Evaluation e = evaluator((run, task) -> Optional.of(tasks))
                .evaluate(event, SuiteRunner.ProgressListener.none());
        CheckpointEvaluator.Evaluation.Done done = assertInstanceOf(CheckpointEvaluator.Evaluation.Done.class, e);
        List<MetricValue> cl = done.metrics().stream().filter(m -> m.name().equals("cl-accuracy")).toList();
        assertEquals(2, cl.size());
        assertEquals(Map.of("task", "0"), cl.get(0).labels());
        assertEquals(Map.of("task", "1"), cl.get(1).labels());
        double average = done.metrics().stream().filter(m -> m.name().equals("cl-average-accuracy"))
                .findFirst().orElseThrow().value();
        assertEquals((cl.get(0).value() + cl.get(1).value()) / 2, average, 1e-12);
        assertTrue(done.metrics().stream().anyMatch(m -> m.name().equals("knn-buffer-accuracy")));
    }

    @Test
    void shouldReuseTheSuiteValuesForATaskEndCheckpointOfTheSameStepAndParameters() {
        StoredCheckpoint replay = replayBuffer("replay-same", 1);
        StoredCheckpoint parameters = checkpoint("same");
        TreeMap<Integer, int[]> tasks = new TreeMap<>(Map.of(0, new int[] {0, 1}));
        CheckpointEvaluator evaluator = evaluator((run, task) -> Optional.of(tasks));
        int[] suiteProgress = new int[1];
        SuiteRunner.ProgressListener counting = (stage, done, total) -> suiteProgress[0]++;

        List<MetricValue> periodic = assertInstanceOf(CheckpointEvaluator.Evaluation.Done.class, evaluator.evaluate(
                TestCheckpoints.event("r", 7, parameters, SPEC), counting)).metrics();
        int firstRun = suiteProgress[0];
        assertTrue(firstRun > 0, "the periodic checkpoint runs the suite");

        // the trainer writes the task-end checkpoint to its own file: the same parameters give the same bytes
        StoredCheckpoint again = checkpoint("same-again");
        assertEquals(parameters.sha256Hex(), again.sha256Hex());
        CheckpointEvaluator.Evaluation.Done taskEnd = assertInstanceOf(CheckpointEvaluator.Evaluation.Done.class,
                evaluator.evaluate(TestCheckpoints.event("r", 7, 0, true, again, SPEC.toMap(),
                        List.of(TestCheckpoints.attachment("replay", replay))), counting));
        assertEquals(firstRun, suiteProgress[0], "the same run, step and parameters: the suite is not run again");
        assertEquals(periodic, taskEnd.metrics().subList(0, periodic.size()), "the same suite values");
        assertTrue(taskEnd.metrics().stream().anyMatch(m -> m.name().equals("cl-accuracy")),
                "the class-incremental metrics are added");

        evaluator.evaluate(TestCheckpoints.event("r", 8, parameters, SPEC), counting);
        assertTrue(suiteProgress[0] > firstRun, "another step runs the suite again");
    }

    @Test
    void shouldRefuseATaskEndCheckpointWhoseReplayBufferWasAltered() throws Exception {
        ReplayBuffer buffer = ReplayBuffer.create(new ReplayConfig("r", 4, ReplayPolicy.RESERVOIR, 1, 8, 8, 1));
        StoredCheckpoint replay = CheckpointFiles.writeBlob(dir, "replay2", buffer::writeTo);
        Files.write(Path.of(replay.uri()), new byte[(int) replay.byteSize()]);
        CheckpointEvent event = TestCheckpoints.event("r", 9, 0, true, checkpoint("cl2"), SPEC.toMap(),
                List.of(TestCheckpoints.attachment("replay", replay)));
        CheckpointEvaluator.Evaluation.Refused refused = assertInstanceOf(
                CheckpointEvaluator.Evaluation.Refused.class, evaluate(event));
        assertEquals(CheckpointFailure.Reason.HASH_MISMATCH, refused.failure().reason());
        assertEquals("replay", refused.failure().file());
    }

    @Test
    void shouldSkipContinualMetricsWithoutAReplayAttachmentAndSayWhy() {
        CheckpointEvent event = TestCheckpoints.event("r", 9, 0, true, checkpoint("noreplay"), SPEC.toMap(),
                List.of());
        CheckpointEvaluator.Evaluation.Done done = assertInstanceOf(CheckpointEvaluator.Evaluation.Done.class,
                evaluate(event));
        assertTrue(done.continualNote().contains("no replay attachment"), done.continualNote());
        assertTrue(done.metrics().stream().noneMatch(m -> m.name().startsWith("cl-")));
    }

    @Test
    void shouldPickASeededSortedSubset() {
        int[] a = EvaluationData.subset(100, 10, 4);
        assertEquals(10, a.length);
        assertTrue(java.util.stream.IntStream.range(1, a.length).allMatch(i -> a[i] > a[i - 1]));
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, EvaluationData.subset(100, 10, 4));
        assertEquals(5, EvaluationData.subset(5, 10, 4).length);
    }
}
