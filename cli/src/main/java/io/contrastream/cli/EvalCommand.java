package io.contrastream.cli;

import io.contrastream.eval.CheckpointOutcome;
import io.contrastream.eval.EvaluationListener;
import io.contrastream.eval.EvaluatorConfig;
import io.contrastream.eval.EvaluatorSummary;
import io.contrastream.eval.EvaluatorWorker;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs an evaluation worker: evaluates every checkpoint announced on the checkpoints topic. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate checkpoints from the checkpoints topic and publish metric records (exactly once per "
                + "checkpoint). Runs until Ctrl-C or --max-checkpoints.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", defaultValue = "fast", description = "fast or full. Default: ${DEFAULT-VALUE}.")
    String suite;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "Dataset whose test split is evaluated. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", description = "Dataset directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--run-id", description = "Evaluate only this run's checkpoints (own consumer group).")
    String runId;

    @Option(names = "--max-test-samples", description = "Cap on test samples (seeded subset). Default: all.")
    Integer maxTestSamples;

    @Option(names = "--fast-queries", paramLabel = "N|all",
            description = "Fast suite only: test samples used as queries by retrieval, AUC and kNN, drawn once from "
                    + "--seed, so every checkpoint uses the same ones; every test sample stays in the gallery and "
                    + "the kNN memory stays whole, so each value estimates the all-query value. Values are labelled "
                    + "queries=N. 0 or all = every test sample (exact). Default: 2000.")
    String fastQueries;

    @Option(names = "--train-subset", defaultValue = "10000",
            description = "Train images used as kNN memory / probe training set. Default: ${DEFAULT-VALUE}.")
    int trainSubset;

    @Option(names = "--robustness-subset", defaultValue = "500",
            description = "Test images attacked by the full suite. Default: ${DEFAULT-VALUE}.")
    int robustnessSubset;

    @Option(names = "--epsilons", split = ",",
            description = "L-inf attack radii in pixel units, e.g. 0,0.0078,0.0314. Default: 0,1,2,4,8 /255.")
    List<Double> epsilons;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Embedding batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--instance", defaultValue = "0",
            description = "Instance id, part of the transactional id; unique per running evaluator of a suite.")
    String instance;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of subsets and sampled metrics.")
    long seed;

    @Option(names = "--max-checkpoints", defaultValue = "0",
            description = "Stop after this many checkpoints (0 = run until Ctrl-C).")
    int maxCheckpoints;

    /** {@code all} or 0: every query ({@link MetricSuite#ALL_QUERIES}); otherwise the number, validated later. */
    static int parseQueries(picocli.CommandLine line, String value) {
        if ("all".equalsIgnoreCase(value.trim())) {
            return MetricSuite.ALL_QUERIES;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(line, "--fast-queries '" + value
                    + "' is neither a number nor 'all'");
        }
    }

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        EvaluatorConfig.Builder builder = EvaluatorConfig.builder().setSuite(MetricSuite.named(suite))
                .setDataset(dataset).optTrainSubsetSize(trainSubset).optRobustnessSubsetSize(robustnessSubset)
                .optBatchSize(batchSize).optInstanceId(instance).optSeed(seed).optRunId(runId)
                .optRobustnessEpsilons(epsilons);
        if (dataDir != null) {
            builder.optDataDir(dataDir);
        }
        if (maxTestSamples != null) {
            builder.optMaxTestSamples(maxTestSamples);
        }
        if (fastQueries != null) {
            if (!"fast".equalsIgnoreCase(suite)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--fast-queries applies to the fast suite only; the " + suite + " suite uses every query");
            }
            builder.optQueries(parseQueries(spec.commandLine(), fastQueries));
        }
        EvaluatorConfig config = builder.build();
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            EventTopics topics = new EventTopics(kafka.catalog());
            AtomicInteger seen = new AtomicInteger();
            EvaluatorWorker[] holder = new EvaluatorWorker[1];
            EvaluatorWorker worker = EvaluatorWorker.create(cluster, topics, config, new EvaluationListener() {
                @Override
                public void onStarted(String groupId, int testSamples, int trainSamples) {
                    console.line("evaluator %s (suite %s) in group %s: %d test / %d train images of %s",
                            config.workerName(), suite, groupId, testSamples, trainSamples, dataset);
                }

                @Override
                public void onProgress(String run, long step, String stage, int done, int total) {
                    console.progress("run %s step %d %s %s", run, step, Console.bar(done, total, 20), stage);
                }

                @Override
                public void onOutcome(CheckpointOutcome outcome) {
                    if (outcome instanceof CheckpointOutcome.Evaluated e) {
                        console.line("%s", e.summaryLine());
                    } else if (outcome instanceof CheckpointOutcome.Failed f) {
                        console.line("run %s step %d FAILED: %s", f.runId(), f.step(), f.failure().describe());
                    } else if (outcome instanceof CheckpointOutcome.Skipped s) {
                        console.line("run %s step %d skipped (%s)", s.runId(), s.step(), s.why());
                    }
                    if (maxCheckpoints > 0 && seen.incrementAndGet() >= maxCheckpoints) {
                        holder[0].stop();
                    }
                }
            });
            holder[0] = worker;
            EvaluatorSummary summary;
            try (CtrlC ctrlC = CtrlC.onInterrupt("eval", worker::stop)) {
                summary = worker.run();
            }
            console.line("evaluated %d, failed %d, skipped %d checkpoints in %.1f s", summary.evaluated(),
                    summary.failed(), summary.skipped(), summary.wallTime().toMillis() / 1000.0);
            return 0;
        }
    }
}
