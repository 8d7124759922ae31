package io.contrastream.experiments;

import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.ViewProducer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.Example;
import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.schedule.ClassIndex;
import io.contrastream.data.schedule.Task;
import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.eval.metrics.NearestClassMean;
import io.contrastream.eval.metrics.WeightedKnn;
import io.contrastream.model.replay.ReplayBuffer;
import io.contrastream.model.replay.ReplayConfig;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.model.replay.TaskStart;
import io.contrastream.trainer.engine.StepResult;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.replay.BatchComposer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-incremental learner loop with rehearsal, evaluated after every task.
 *
 * <p>For each phase (one per task; a single all-classes phase for {@link BaselineMode#JOINT}): start the task on the
 * replay buffer (a new, empty buffer for {@link BaselineMode#FINETUNE}); with a distillation loss, snapshot the
 * teacher; then for each {@link FeedBatch} of the {@link TaskFeed}, {@code stepsPerBatch} times: append
 * {@code R = ratio * B} replayed samples with fresh views ({@link BatchComposer}; the first step uses the feed's
 * views of the current samples, later ones fresh views of them too), take one {@link TrainingEngine#step}; then
 * offer the batch's raw samples to the buffer.
 *
 * <p>At each phase end: embed (backbone, {@link TrainingEngine#embed}) the buffer's exemplars and the test samples of
 * every task seen so far, classify with NME (or kNN) fitted on the exemplars only (never on past tasks' full
 * training sets), predictions ranging over all classes in the buffer, and record per-task accuracy as one row of
 * the accuracy matrix (see {@link ContinualResult}).
 */
public final class ContinualRun {
    private static final Logger LOG = LoggerFactory.getLogger(ContinualRun.class);
    private static final int EMBED_CHUNK = 500;
    private static final long REPLAY_SEED_SALT = 0x5EED_2E91A7L;

    private final ContinualExperimentConfig config;
    private final TaskFeed feed;
    private final Dataset test;
    private final Dataset probeSet;
    private final int[] trainPerClass;
    private final ContinualListener listener;

    private ContinualRun(Builder b) {
        this.config = b.config;
        this.feed = b.feed;
        this.test = b.test;
        this.probeSet = b.probeSet;
        this.trainPerClass = b.trainPerClass;
        this.listener = b.listener;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code config} on its dataset from {@code catalog} with an {@link InMemoryTaskFeed} (the training split
     * is also the forward-transfer probe set).
     */
    public static ContinualResult runInMemory(ContinualExperimentConfig config, DatasetCatalog catalog,
                                              ContinualListener listener) {
        Dataset train = catalog.open(config.dataset(), "train");
        Dataset test = catalog.open(config.dataset(), "test");
        AugmentationPipeline pipeline = AugmentationPipeline.of(AugmentationPresets.byName(config.augmentation()));
        try (InMemoryTaskFeed feed = new InMemoryTaskFeed(train, config.epochsPerTask(), config.batchSize(),
                config.views(), pipeline, config.seed())) {
            return builder().setConfig(config).setFeed(feed).setTestSet(test).optProbeSet(train)
                    .optTrainPerClass(perClass(train)).optListener(listener).build().run();
        }
    }

    /**
     * Runs the experiment on a Kafka cluster: a {@link ViewProducer} streams the training split task by task to a
     * fresh one-partition views topic (one partition keeps the producer's order, so the run sees the samples in the
     * same order as {@link #runInMemory}), and a {@link KafkaTaskFeed} feeds the learner from it.
     */
    public static ContinualResult runOnKafka(ContinualExperimentConfig config, DatasetCatalog catalog,
                                             KafkaCluster cluster, ContinualListener listener) {
        Dataset train = catalog.open(config.dataset(), "train");
        Dataset test = catalog.open(config.dataset(), "test");
        String runId = "continual-" + config.dataset() + "-" + config.baseline().name().toLowerCase(Locale.ROOT) + "-"
                + config.seed() + "-" + Long.toString(System.currentTimeMillis(), 36);
        TopicCatalog topics = new TopicCatalog("exp-" + Long.toString(System.nanoTime() & 0xFFFFFFFL, 36), 1, (short) 1);
        TopicProvisioner.provision(cluster, topics.all());
        TaskSchedule schedule = config.baseline() == BaselineMode.JOINT ? TaskSchedule.joint(train.numClasses())
                : schedule(config, train.numClasses());
        ViewProducer producer = ViewProducer.builder().setRunId(runId).setDataset(train).optSchedule(schedule)
                .optEpochs(config.epochsPerTask()).optViewCount(config.views())
                .optAugmentation(AugmentationPresets.byName(config.augmentation())).optSeed(config.seed())
                .optIncludeOriginal(true).build();
        AtomicReference<RuntimeException> producerFailure = new AtomicReference<>();
        Thread producing = new Thread(() -> {
            try {
                producer.run(cluster, topics, progress -> { });
            } catch (RuntimeException e) {
                producerFailure.set(e);
                LOG.error("view producer of {} failed: {}", runId, e.getMessage());
            }
        }, "experiment-producer");
        producing.setDaemon(true);
        producing.start();
        try (KafkaTaskFeed feed = new KafkaTaskFeed(cluster, topics, runId, config.batchSize(), config.views(),
                Duration.ofMinutes(5))) {
            return builder().setConfig(config).setFeed(feed).setTestSet(test).optProbeSet(train)
                    .optTrainPerClass(perClass(train)).optListener(listener).build().run();
        } catch (RuntimeException e) {
            if (producerFailure.get() != null) {
                e.addSuppressed(producerFailure.get());
            }
            throw e;
        } finally {
            producer.stop();
            try {
                producing.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The evaluation schedule of {@code config} for a dataset with {@code numClasses} classes. */
    public static TaskSchedule schedule(ContinualExperimentConfig config, int numClasses) {
        return config.taskSplit().isEmpty() ? TaskSchedule.split(numClasses, config.tasks())
                : TaskSchedule.parse(config.taskSplit(), numClasses);
    }

    /** Trains and evaluates every phase. */
    public ContinualResult run() {
        TaskSchedule evaluation = schedule(config, test.numClasses());
        List<Task> phases = phases(evaluation);
        int[] shape = config.encoder().inputShape();
        if (test.channels() != shape[0] || test.height() != shape[1] || test.width() != shape[2]) {
            throw new IllegalArgumentException("Encoder input " + Arrays.toString(shape) + " does not match dataset "
                    + test.name() + " images " + test.channels() + "x" + test.height() + "x" + test.width()
                    + "; set the encoder's inputShape to the dataset's");
        }
        TestSet testSet = TestSet.of(test, evaluation);
        String runId = "continual-" + config.dataset() + "-" + config.seed();
        int t = evaluation.size();
        double[][] accuracy = new double[phases.size()][t];
        double[][] probe = new double[phases.size()][t];
        for (double[] row : accuracy) {
            Arrays.fill(row, Double.NaN);
        }
        for (double[] row : probe) {
            Arrays.fill(row, Double.NaN);
        }
        boolean probing = probeSet != null && config.fwtProbePerClass() > 0
                && config.baseline() != BaselineMode.JOINT;
        ProbeSet probes = probing ? ProbeSet.of(probeSet, evaluation, config.fwtProbePerClass()) : null;
        double[] randomInit = new double[0];
        BatchComposer composer = BatchComposer.builder()
                .setPipeline(AugmentationPipeline.of(AugmentationPresets.byName(config.augmentation())))
                .setViews(config.views()).setBaseSeed(config.seed() ^ REPLAY_SEED_SALT)
                .optReplayRatio(config.effectiveReplayRatio()).build();
        ReplayConfig replayConfig = new ReplayConfig(runId, config.bufferSize(), config.bufferPolicy(), shape[0],
                shape[1], shape[2], config.seed());
        ReplayBuffer buffer = ReplayBuffer.create(replayConfig);
        double trainSeconds = 0;
        double evalSeconds = 0;
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(config.encoder()).setLoss(config.loss())
                .setOptimizer(config.optimizer()).setSeed(config.seed()).build()) {
            if (probing) {
                long e0 = System.nanoTime();
                randomInit = new double[t];
                for (int j = 0; j < t; j++) {
                    randomInit[j] = probes.accuracy(engine, testSet, j);
                }
                evalSeconds += seconds(e0);
                LOG.info("random-init probe accuracies b_j = {}", Arrays.toString(randomInit));
            }
            long draw = 0;
            for (int p = 0; p < phases.size(); p++) {
                Task task = phases.get(p);
                if (config.baseline() == BaselineMode.FINETUNE) {
                    buffer = ReplayBuffer.create(replayConfig);
                    buffer.onTaskStart(runId, 0);
                } else {
                    TaskStart started = buffer.onTaskStart(runId, p);
                    if (started instanceof TaskStart.Rejected rejected) {
                        throw new IllegalStateException(rejected.message());
                    }
                }
                if (config.usesTeacher() && p > 0) {
                    engine.snapshotTeacher();
                }
                long expected = feed.expectedSamples(task);
                listener.onTaskStart(p, task, expected);
                LOG.info("phase {} task {} classes {}: training on {} samples", p, task.id(), task.classes(),
                        expected);
                long t0 = System.nanoTime();
                long done = 0;
                Iterator<FeedBatch> batches = feed.batches(task);
                while (batches.hasNext()) {
                    FeedBatch batch = batches.next();
                    for (int s = 0; s < config.stepsPerBatch(); s++) {
                        TrainBatch trainBatch;
                        int replayed;
                        if (s == 0) {
                            replayed = composer.replayCount(batch.samples().size(), buffer);
                            trainBatch = replayed == 0 ? currentOnly(batch.views())
                                    : composer.compose(batch.views(), buffer, draw);
                        } else {
                            var composition = composer.compose(batch.samples(), buffer, draw);
                            replayed = composition.replayed();
                            trainBatch = composer.toTrainBatch(composition);
                        }
                        draw++;
                        StepResult result = engine.step(trainBatch);
                        float loss = result instanceof StepResult.Stepped st ? st.loss() : Float.NaN;
                        long soFar = done + (s == config.stepsPerBatch() - 1 ? batch.samples().size() : 0);
                        double elapsed = Math.max(seconds(t0), 1e-9);
                        listener.onStep(new ContinualListener.StepProgress(p, batch.epoch(), engine.step(), loss,
                                soFar, expected, replayed, soFar / elapsed));
                    }
                    done += batch.samples().size();
                    for (ReplaySample sample : batch.samples()) {
                        buffer.offer(sample);
                    }
                }
                double phaseTrain = seconds(t0);
                trainSeconds += phaseTrain;
                long e0 = System.nanoTime();
                int seen = config.baseline() == BaselineMode.JOINT ? t : p + 1;
                double[] row = evaluate(engine, buffer, testSet, seen);
                System.arraycopy(row, 0, accuracy[p], 0, t);
                if (probing) {
                    for (int j = p + 1; j < t; j++) {
                        probe[p][j] = probes.accuracy(engine, testSet, j);
                    }
                }
                double phaseEval = seconds(e0);
                evalSeconds += phaseEval;
                LOG.info("phase {} done in {} s (eval {} s): accuracies {}, buffer {}", p, phaseTrain, phaseEval,
                        Arrays.toString(accuracy[p]), buffer.countsByClass());
                listener.onTaskEnd(p, accuracy[p].clone(), phaseTrain, phaseEval);
            }
            return new ContinualResult(config, evaluation, accuracy, probing ? probe : new double[0][],
                    randomInit, new ContinualResult.DataSizes(test.name(),
                            trainPerClass != null ? trainPerClass : new int[0], perClass(test)),
                    engine.step(), trainSeconds, evalSeconds, buffer.countsByClass());
        }
    }

    private List<Task> phases(TaskSchedule evaluation) {
        if (config.baseline() != BaselineMode.JOINT) {
            return evaluation.tasks();
        }
        TreeSet<Integer> all = new TreeSet<>();
        evaluation.tasks().forEach(task -> all.addAll(task.classes()));
        return List.of(new Task(0, all));
    }

    /** Class-incremental accuracy on each of the first {@code seen} tasks, NaN for the others. */
    private double[] evaluate(TrainingEngine engine, ReplayBuffer buffer, TestSet testSet, int seen) {
        double[] row = new double[testSet.tasks()];
        Arrays.fill(row, Double.NaN);
        List<ReplaySample> exemplars = buffer.exemplars();
        if (exemplars.isEmpty()) {
            throw new IllegalStateException("The replay buffer is empty at the end of a task: the feed delivered no"
                    + " samples; check the feed and the task's classes");
        }
        List<Image> images = new ArrayList<>(exemplars.size());
        int[] labels = new int[exemplars.size()];
        for (int i = 0; i < labels.length; i++) {
            images.add(exemplars.get(i).image());
            labels[i] = exemplars.get(i).label();
        }
        float[][] memory = embed(engine, images);
        for (int j = 0; j < seen; j++) {
            float[][] queries = embed(engine, testSet.images(j));
            int[] truth = testSet.labels(j);
            int[] predicted = config.classifier() == EvaluationClassifier.NME
                    ? NearestClassMean.fit(memory, labels).predict(queries)
                    : new WeightedKnn(config.knnK(), WeightedKnn.DEFAULT_TAU).evaluate(memory, labels, queries,
                            truth).predictions();
            row[j] = accuracy(predicted, truth);
        }
        return row;
    }

    static double accuracy(int[] predicted, int[] truth) {
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                correct++;
            }
        }
        return truth.length == 0 ? Double.NaN : (double) correct / truth.length;
    }

    /** Backbone embeddings of {@code images}, in chunks. */
    static float[][] embed(TrainingEngine engine, List<Image> images) {
        float[][] out = new float[images.size()][];
        if (images.isEmpty()) {
            return out;
        }
        Image first = images.get(0);
        int size = first.size();
        for (int start = 0; start < images.size(); start += EMBED_CHUNK) {
            int n = Math.min(EMBED_CHUNK, images.size() - start);
            float[] pixels = new float[n * size];
            for (int i = 0; i < n; i++) {
                System.arraycopy(images.get(start + i).pixels(), 0, pixels, i * size, size);
            }
            float[][] rows = engine.embed(pixels, new int[] {n, first.channels(), first.height(), first.width()});
            System.arraycopy(rows, 0, out, start, n);
        }
        return out;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static int[] perClass(Dataset dataset) {
        ClassIndex index = ClassIndex.of(dataset);
        int[] out = new int[index.numClasses()];
        for (int c = 0; c < out.length; c++) {
            out[c] = index.count(c);
        }
        return out;
    }

    /** Test images and labels grouped by evaluation task. */
    record TestSet(List<List<Image>> images, List<int[]> labels) {
        static TestSet of(Dataset test, TaskSchedule schedule) {
            ClassIndex index = ClassIndex.of(test);
            List<List<Image>> images = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (Task task : schedule.tasks()) {
                int[] idx = index.indices(task);
                List<Image> im = new ArrayList<>(idx.length);
                int[] lab = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    Example ex = test.get(idx[i]);
                    im.add(ex.image());
                    lab[i] = ex.label();
                }
                images.add(im);
                labels.add(lab);
            }
            return new TestSet(images, labels);
        }

        int tasks() {
            return images.size();
        }

        List<Image> images(int task) {
            return images.get(task);
        }

        int[] labels(int task) {
            return labels.get(task);
        }
    }

    /** The first {@code perClass} training samples (dataset order) of each class, by evaluation task. */
    record ProbeSet(List<List<Image>> images, List<int[]> labels) {
        static ProbeSet of(Dataset train, TaskSchedule schedule, int perClass) {
            ClassIndex index = ClassIndex.of(train);
            List<List<Image>> images = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (Task task : schedule.tasks()) {
                List<Image> im = new ArrayList<>();
                List<Integer> lab = new ArrayList<>();
                for (int c : task.classes()) {
                    int[] idx = index.indices(c);
                    for (int i = 0; i < Math.min(perClass, idx.length); i++) {
                        im.add(train.get(idx[i]).image());
                        lab.add(c);
                    }
                }
                images.add(im);
                labels.add(lab.stream().mapToInt(Integer::intValue).toArray());
            }
            return new ProbeSet(images, labels);
        }

        /** Within-task NME accuracy on task {@code j}'s test samples, predicting among task {@code j}'s classes. */
        double accuracy(TrainingEngine engine, TestSet testSet, int j) {
            if (images.get(j).isEmpty()) {
                return Double.NaN;
            }
            NearestClassMean nme = NearestClassMean.fit(embed(engine, images.get(j)), labels.get(j));
            return ContinualRun.accuracy(nme.predict(embed(engine, testSet.images(j))), testSet.labels(j));
        }
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private ContinualExperimentConfig config;
        private TaskFeed feed;
        private Dataset test;
        private Dataset probeSet;
        private int[] trainPerClass;
        private ContinualListener listener = ContinualListener.none();

        private Builder() {
        }

        public Builder setConfig(ContinualExperimentConfig config) {
            this.config = config;
            return this;
        }

        /** The current-task training data. */
        public Builder setFeed(TaskFeed feed) {
            this.feed = feed;
            return this;
        }

        /** The test split (its classes define the schedule). */
        public Builder setTestSet(Dataset test) {
            this.test = test;
            return this;
        }

        /** Labelled samples for the forward-transfer probe (usually the training split); none = no FWT. */
        public Builder optProbeSet(Dataset probeSet) {
            this.probeSet = probeSet;
            return this;
        }

        /** Training samples per class, for the report's dataset sizes. */
        public Builder optTrainPerClass(int[] trainPerClass) {
            this.trainPerClass = trainPerClass.clone();
            return this;
        }

        /** Default: none. */
        public Builder optListener(ContinualListener listener) {
            this.listener = listener;
            return this;
        }

        /** Validates presence. */
        public ContinualRun build() {
            Objects.requireNonNull(config, "ContinualRun config is required (setConfig)");
            Objects.requireNonNull(feed, "ContinualRun feed is required (setFeed)");
            Objects.requireNonNull(test, "ContinualRun test set is required (setTestSet)");
            Objects.requireNonNull(listener, "ContinualRun listener must not be null");
            return new ContinualRun(this);
        }
    }

    /**
     * The batch with a rehearsal mask saying that no sample is replayed (the rehearsal losses require the mask; a
     * batch with replay gets it from the {@link BatchComposer}).
     */
    static TrainBatch currentOnly(TrainBatch batch) {
        if (batch.rehearsalMask().isPresent()) {
            return batch;
        }
        TrainBatch.Builder out = TrainBatch.builder().setViews(batch.views()).setBatchSize(batch.batchSize())
                .setSampleShape(batch.sampleShape()).setPixels(batch.pixels())
                .optRehearsalMask(new boolean[batch.batchSize()]);
        batch.labels().ifPresent(out::optLabels);
        batch.negativePixels().ifPresent(n -> out.optNegatives(n, batch.negativesPerSample()));
        return out.build();
    }
}
