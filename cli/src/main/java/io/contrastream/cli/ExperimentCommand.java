package io.contrastream.cli;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.experiments.BaselineMode;
import io.contrastream.experiments.ContinualExperimentConfig;
import io.contrastream.experiments.ContinualListener;
import io.contrastream.experiments.ContinualReport;
import io.contrastream.experiments.ContinualResult;
import io.contrastream.experiments.ContinualRun;
import io.contrastream.experiments.EvaluationClassifier;
import io.contrastream.data.schedule.Task;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import picocli.CommandLine.Spec;

/**
 * Class-incremental continual-learning experiment in one JVM: trains task after task with rehearsal (or the
 * fine-tuning / joint baselines), prints the accuracy matrix and the summary metrics, and saves JSON + CSV.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a class-incremental continual-learning experiment (in-memory feed) and report the "
                + "accuracy matrix, average accuracy, forgetting, BWT and FWT.")
public final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Tuned settings of a published comparison: split-mnist (buffer 2000), split-mnist-online "
                    + "(1 epoch, class-balanced buffer 1000, 10 steps per batch, kNN), split-fashion (buffer 2000). "
                    + "Other options override.")
    String preset;

    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion-mnist, synthetic, cifar10, ...")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default .contrastream/data).")
    Path dataDir;

    @Option(names = "--tasks", paramLabel = "N", description = "Tasks of the consecutive class split (default 5).")
    Integer tasks;

    @Option(names = "--split", paramLabel = "SPEC", description = "Explicit split, e.g. \"0,1;2,3\" (overrides --tasks).")
    String split;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per task (1 = online).")
    Integer epochs;

    @Option(names = "--steps-per-batch", paramLabel = "N",
            description = "Optimiser steps per incoming batch, each with fresh replay and views (default 1).")
    Integer stepsPerBatch;

    @Option(names = "--buffer", paramLabel = "N", description = "Replay buffer capacity (default 2000).")
    Integer buffer;

    @Option(names = "--policy", paramLabel = "POLICY", description = "reservoir or class-balanced.")
    String policy;

    @Option(names = "--replay-ratio", paramLabel = "R", description = "Replayed samples per current sample.")
    Double replayRatio;

    @Option(names = "--loss", paramLabel = "NAME", description = "supcon, rehearsal-supcon, co2l, infonce, ...")
    String loss;

    @Option(names = "--temperature", paramLabel = "TAU", description = "Loss temperature (default 0.1).")
    Float temperature;

    @Option(names = "--loss-param", paramLabel = "KEY=VALUE",
            description = "Loss parameter, repeatable (see `train --help`); replaces the preset's parameters.")
    Map<String, String> lossParams;

    @Option(names = "--encoder", paramLabel = "KIND", description = "mlp or cnn (default mlp).")
    String encoder;

    @Option(names = "--hidden", paramLabel = "SIZES", split = ",",
            description = "Hidden sizes (MLP widths or CNN channels), e.g. 256 or 32,64.")
    List<Integer> hidden;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "Backbone output size (default 128).")
    Integer embeddingDim;

    @Option(names = "--projection-dim", paramLabel = "D", description = "Projection head output size (default 64).")
    Integer projectionDim;

    @Option(names = "--batch-size", paramLabel = "B", description = "Current-task samples per step.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default 1e-3).")
    Float learningRate;

    @Option(names = "--views", paramLabel = "V", description = "Augmented views per sample (default 2).")
    Integer views;

    @Option(names = "--augmentation", paramLabel = "NAME", description = "digits, natural or none.")
    String augmentation;

    @Option(names = "--seed", paramLabel = "SEED", description = "Run seed (default 1).")
    Long seed;

    @Option(names = "--classifier", paramLabel = "NAME", description = "nme or knn (over the buffer).")
    String classifier;

    @Option(names = "--baseline", paramLabel = "MODE", description = "replay (default), finetune or joint.")
    String baseline;

    @Option(names = "--fwt-probe", paramLabel = "N",
            description = "Training samples per class for the forward-transfer probe (0 = no FWT; default 50).")
    Integer fwtProbe;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "benchmarks/results/continual",
            description = "Directory for the JSON and CSV files. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Base name of the output files (default: preset or dataset, plus the baseline mode).")
    String name;

    @Option(names = "--torch-threads", paramLabel = "N",
            description = "PyTorch intra-op threads (default: the engine's). 1 is fastest for the small encoders on a"
                    + " shared machine; must be set before the engine first loads in this JVM.")
    Integer torchThreads;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "kafka",
            description = "kafka: stream the tasks through the (embedded) broker, producer to learner; memory: feed the"
                    + " learner in-process in the same order (for comparison). Default: ${DEFAULT-VALUE}.")
    String source;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    /** Runs the command alone (for scripted experiments without the root command). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ExperimentCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        if (torchThreads != null) {
            if (torchThreads < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--torch-threads must be >= 1, got "
                        + torchThreads);
            }
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        }
        DatasetCatalog catalog = new DatasetCatalog(dataDir != null ? dataDir : DatasetCatalog.defaultDataDir());
        ContinualExperimentConfig config = config(catalog);
        console.line("continual experiment: %s", config.toMap());
        int[] phaseCount = {0};
        ContinualListener listener = new ContinualListener() {
            private Task current;

            @Override
            public void onTaskStart(int phase, Task task, long samplesExpected) {
                current = task;
                phaseCount[0] = phase;
                console.line("phase %d: task %d classes %s, %d samples x %d epoch(s)", phase, task.id(),
                        task.classes(), samplesExpected, config.epochsPerTask());
            }

            @Override
            public void onStep(ContinualListener.StepProgress p) {
                console.progress("phase %d task %s epoch %d step %d loss %.4f replayed %d %s %.0f samples/s",
                        p.phase(), current.classes(), p.epoch(), p.step(), p.loss(), p.replayed(),
                        Console.bar(p.samplesDone(), p.samplesExpected(), 20), p.samplesPerSecond());
            }

            @Override
            public void onTaskEnd(int phase, double[] row, double trainSeconds, double evalSeconds) {
                console.line("phase %d done: train %.1f s, eval %.1f s, accuracies %s", phase, trainSeconds,
                        evalSeconds, Arrays.stream(row).mapToObj(ExperimentCommand::percent)
                                .collect(Collectors.joining(" ")));
            }
        };
        ContinualResult result;
        if (source.equals("memory")) {
            result = ContinualRun.runInMemory(config, catalog, listener);
        } else if (source.equals("kafka")) {
            try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
                console.line("streaming through %s", cluster.description());
                result = ContinualRun.runOnKafka(config, catalog, cluster, listener);
            }
        } else {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source must be kafka or memory, got '"
                    + source + "'");
        }
        print(console, result);
        String base = name != null ? name : (preset != null ? preset : config.dataset()) + "-"
                + config.baseline().name().toLowerCase(Locale.ROOT);
        ContinualReport.Written files = ContinualReport.write(result, output, base);
        console.line("saved %s, %s, %s", files.json(), files.matrixCsv(), files.summaryCsv());
        return 0;
    }

    private ContinualExperimentConfig config(DatasetCatalog catalog) {
        ContinualExperimentConfig.Builder b = preset != null ? ContinualExperimentConfig.preset(preset)
                : ContinualExperimentConfig.builder().setDataset("mnist");
        if (dataset != null) {
            b.setDataset(dataset);
        }
        ContinualExperimentConfig defaults = b.build();
        Dataset probe = catalog.open(defaults.dataset(), "test");
        int[] shape = {probe.channels(), probe.height(), probe.width()};
        EncoderSpec current = defaults.encoder();
        EncoderSpec.Kind kind = encoder == null ? current.kind()
                : EncoderSpec.Kind.valueOf(encoder.trim().toUpperCase(Locale.ROOT));
        List<Integer> sizes = hidden != null ? hidden
                : kind == current.kind() ? current.hiddenSizes()
                : kind == EncoderSpec.Kind.MLP ? List.of(256) : List.of(32, 64);
        b.optEncoder(new EncoderSpec(kind, shape, sizes, embeddingDim != null ? embeddingDim : current.embeddingDim(),
                projectionDim != null ? projectionDim : current.projectionDim()));
        if (tasks != null) {
            b.optTasks(tasks);
        }
        if (split != null) {
            b.optTaskSplit(split);
        }
        if (epochs != null) {
            b.optEpochsPerTask(epochs);
        }
        if (stepsPerBatch != null) {
            b.optStepsPerBatch(stepsPerBatch);
        }
        if (buffer != null) {
            b.optBufferSize(buffer);
        }
        if (policy != null) {
            b.optBufferPolicy(ReplayPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (replayRatio != null) {
            b.optReplayRatio(replayRatio);
        }
        if (loss != null || temperature != null || lossParams != null) {
            LossConfig l = defaults.loss();
            Map<String, String> params = lossParams != null ? lossParams : loss != null ? Map.of() : l.params();
            b.optLoss(new LossConfig(loss != null ? loss : l.name(),
                    temperature != null ? temperature : l.temperature(), params));
        }
        if (batchSize != null) {
            b.optBatchSize(batchSize);
        }
        if (learningRate != null) {
            b.optOptimizer(OptimizerConfig.adam(learningRate));
        }
        if (views != null) {
            b.optViews(views);
        }
        if (augmentation != null) {
            b.optAugmentation(augmentation);
        }
        if (seed != null) {
            b.optSeed(seed);
        }
        if (classifier != null) {
            b.optClassifier(EvaluationClassifier.valueOf(classifier.trim().toUpperCase(Locale.ROOT)));
        }
        if (baseline != null) {
            b.optBaseline(BaselineMode.valueOf(baseline.trim().toUpperCase(Locale.ROOT)));
        }
        if (fwtProbe != null) {
            b.optFwtProbePerClass(fwtProbe);
        }
        return b.build();
    }

    private static void print(Console console, ContinualResult r) {
        ContinualResult.DataSizes sizes = r.sizes();
        console.line("dataset %s: %d train / %d test samples (train per class %s, test per class %s)",
                sizes.dataset(), sizes.train(), sizes.test(), Arrays.toString(sizes.trainPerClass()),
                Arrays.toString(sizes.testPerClass()));
        console.line("accuracy matrix R[i][j] (%%): row i = after training phase i, column j = test classes of task"
                + " j, class-incremental (predictions over all seen classes, %s over the replay buffer only)",
                r.config().classifier().name().toLowerCase(Locale.ROOT));
        StringBuilder header = new StringBuilder("         ");
        for (Task t : r.evaluation().tasks()) {
            header.append(String.format(Locale.ROOT, " %8s", t.classes().stream().map(String::valueOf)
                    .collect(Collectors.joining(","))));
        }
        console.line(header.toString());
        double[][] a = r.accuracy();
        for (int i = 0; i < a.length; i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "after %2d ", i));
            for (double v : a[i]) {
                row.append(String.format(Locale.ROOT, " %8s", percent(v)));
            }
            console.line(row.toString());
        }
        if (r.randomInit().length > 0) {
            console.line("random-init within-task probe b_j (%%): %s", Arrays.stream(r.randomInit())
                    .mapToObj(ExperimentCommand::percent).collect(Collectors.joining(" ")));
        }
        Map<String, Double> summary = r.summary();
        summary.forEach((k, v) -> {
            ContinualReport.Definition d = ContinualReport.DEFINITIONS.get(k);
            console.line("%-17s %7.2f %%   %s   [%s]", k, 100 * v, d.formula(), d.reference());
        });
        for (String k : ContinualReport.DEFINITIONS.keySet()) {
            if (!summary.containsKey(k)) {
                console.line("%-17s     n/a   (%s)", k, r.sequential() ? "needs two or more tasks / the FWT probe"
                        : "not defined for joint training");
            }
        }
        console.line("steps %d, train %.1f s, eval %.1f s", r.steps(), r.trainSeconds(), r.evalSeconds());
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }
}
