package io.contrastream.cli.bench;

import io.contrastream.cli.Console;
import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.DatasetMissingException;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.eval.bench.EvalBenchmark;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.trainer.engine.StepResult;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Evaluation cost vs. training cost per checkpoint: trains one checkpoint interval with the {@link TrainingEngine}
 * in memory and evaluates its checkpoint with the fast and full suites ({@link EvalBenchmark}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Time the evaluator per checkpoint (fast and full suite on the whole test split) against the "
                + "trainer's time per checkpoint interval, and write benchmarks/results/eval.{md,json}.")
public final class EvalBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", description = "Dataset directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--steps", defaultValue = "200",
            description = "Trainer steps per checkpoint. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "256", description = "Trainer batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--train-subset", defaultValue = "10000",
            description = "Evaluator train subset. Default: ${DEFAULT-VALUE}.")
    int trainSubset;

    @Option(names = "--robustness-subset", defaultValue = "500", description = "Default: ${DEFAULT-VALUE}.")
    int robustnessSubset;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Alternating rounds of (train an interval, evaluate it); medians are reported. "
                    + "Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--reduced-samples", defaultValue = "2000",
            description = "Also time the fast suite on this many test and train images (0 = skip). "
                    + "Default: ${DEFAULT-VALUE}.")
    int reducedSamples;

    @Option(names = "--suite-threads", defaultValue = "${sys:eval.suiteThreads:-2}",
            description = "Metric families evaluated in parallel. Default: ${DEFAULT-VALUE}.")
    int suiteThreads;

    @Option(names = "--no-full", description = "Skip the full suite.")
    boolean noFull;

    @Option(names = "--out", defaultValue = "benchmarks/results",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        Path dir = dataDir != null ? dataDir : DatasetCatalog.defaultDataDir();
        EvalBenchmark.Config defaults = EvalBenchmark.Config.defaults(dir);
        EvalBenchmark.Config config = new EvalBenchmark.Config(dataset, dir, steps, batch, trainSubset,
                robustnessSubset, defaults.epsilons(), defaults.embedBatch(), !noFull, reducedSamples,
                suiteThreads, rounds);
        Path checkpoints = Files.createTempDirectory("eval-bench");
        EvalBenchmark.Result result;
        try (EngineIntervals trainer = new EngineIntervals(console, dir, checkpoints)) {
            result = EvalBenchmark.run(config, trainer);
        }
        String command = "contrastream bench eval --steps " + steps + " --batch " + batch + " --train-subset "
                + trainSubset + " --robustness-subset " + robustnessSubset + " --rounds " + rounds
                + " --reduced-samples " + reducedSamples + " --suite-threads " + suiteThreads
                + (noFull ? " --no-full" : "");
        EvalBenchmark.write(result, out, command);
        console.line("trainer: %d steps x batch %d in %.2f s", steps, batch, result.trainerIntervalSeconds());
        console.line("fast suite: %.2f s per checkpoint, ratio %.3f (target <= %.1f: %s)", result.fast().seconds(),
                result.fast().ratio(), EvalBenchmark.FAST_TARGET_RATIO, result.fastTargetMet() ? "met" : "MISSED");
        console.line("fast[all] suite (every test image a query): %.2f s per checkpoint, ratio %.3f",
                result.fastAll().seconds(), result.fastAll().ratio());
        for (EvalBenchmark.Comparison c : result.comparison()) {
            console.line("  %-14s sampled %.4f  all %.4f  diff %+.4f  s.e. %.4f", c.metric(), c.sampled(), c.all(),
                    c.difference(), c.standardError());
        }
        result.full().ifPresent(f -> console.line("full suite: %.2f s per checkpoint, ratio %.3f", f.seconds(),
                f.ratio()));
        result.fastReduced().ifPresent(f -> console.line("%s: %.2f s per checkpoint, ratio %.3f", f.suite(),
                f.seconds(), f.ratio()));
        if (!result.note().isEmpty()) {
            console.line("note: %s", result.note());
        }
        console.line("wrote %s and %s", out.resolve("eval.md"), out.resolve("eval.json"));
        return 0;
    }

    /** One engine trained interval after interval on pre-built augmented batches (built outside the timing). */
    private final class EngineIntervals implements EvalBenchmark.IntervalTrainer, AutoCloseable {
        private static final int DISTINCT_BATCHES = 8;
        private final Console console;
        private final Path checkpoints;
        private final EncoderSpec spec;
        private final TrainBatch[] batches = new TrainBatch[DISTINCT_BATCHES];
        private final TrainingEngine engine;
        private int intervals;
        private int stepped;

        EngineIntervals(Console console, Path dir, Path checkpoints) {
            this.console = console;
            this.checkpoints = checkpoints;
            Dataset train;
            try {
                train = new DatasetCatalog(dir).open(dataset, "train");
            } catch (DatasetMissingException e) {
                train = new DatasetCatalog(dir).open("synthetic", "train");
            }
            spec = new EncoderSpec(EncoderSpec.Kind.MLP, new int[] {train.channels(), train.height(),
                    train.width()}, List.of(256), 128, 64);
            AugmentationPipeline augment = AugmentationPipeline.of(AugmentationPresets.forDigits());
            int size = train.channels() * train.height() * train.width();
            for (int b = 0; b < DISTINCT_BATCHES; b++) {
                float[] pixels = new float[2 * batch * size];
                for (int i = 0; i < batch; i++) {
                    int index = (b * batch + i) % train.size();
                    var image = train.get(index).image();
                    for (int v = 0; v < 2; v++) {
                        float[] view = augment.apply(image, ViewSeeds.derive(7, train.sampleId(index), v, 0))
                                .pixels();
                        System.arraycopy(view, 0, pixels, (v * batch + i) * size, size);
                    }
                }
                batches[b] = TrainBatch.builder().setViews(2).setBatchSize(batch).setSampleShape(train.channels(),
                        train.height(), train.width()).setPixels(pixels).build();
            }
            engine = TrainingEngine.builder().setEncoder(spec).setLoss(LossConfig.of("infonce", 0.2f))
                    .setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(1).build();
            engine.step(batches[0]);
        }

        @Override
        public EvalBenchmark.Trained trainInterval(int intervalSteps) {
            long t0 = System.nanoTime();
            double loss = Double.NaN;
            for (int s = 0; s < intervalSteps; s++) {
                StepResult r = engine.step(batches[stepped++ % DISTINCT_BATCHES]);
                if (r instanceof StepResult.Stepped ok) {
                    loss = ok.loss();
                }
                console.progress("trainer interval %d %s", intervals, Console.bar(s + 1, intervalSteps, 30));
            }
            StoredCheckpoint checkpoint = engine.saveCheckpoint(checkpoints, "bench-" + intervals++);
            Duration wall = Duration.ofNanos(System.nanoTime() - t0);
            console.line(String.format(Locale.ROOT, "trainer interval: %.2f s", wall.toNanos() / 1e9));
            return new EvalBenchmark.Trained(checkpoint, spec, wall, loss);
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
