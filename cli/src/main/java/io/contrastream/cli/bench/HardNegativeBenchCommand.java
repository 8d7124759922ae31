package io.contrastream.cli.bench;

import io.contrastream.cli.Console;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.trainer.bench.HardNegativeBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What ANCE hard negatives cost the trainer loop: in memory without vs with M negatives, interleaved in one run. */
@Command(name = "hard-negatives", mixinStandardHelpOptions = true,
        description = "Trainer loop throughput with ANCE hard negatives: 784-256-128 MLP, InfoNCE, batch 512, Adam, "
                + "in memory (a) without and (b) with M explicit negatives per sample from the trainer's cache, "
                + "rounds interleaved; no broker. Writes hard-negatives.json and hard-negatives.md.")
public final class HardNegativeBenchCommand implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "Untimed rounds (every source) before the timed ones. Default: ${DEFAULT-VALUE}.")
    int warmupRounds;

    @Option(names = "--steps", defaultValue = "40", description = "Steps per round. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "8", description = "Untimed steps per round. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--hard-negatives", defaultValue = "4", split = ",", paramLabel = "M",
            description = "Explicit negatives per sample for source (b); a list (2,4) measures each. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Integer> hardNegatives;

    @Option(names = "--data-dir",
            description = "Where fashion-mnist is (synthetic 28x28 if missing). Default: .contrastream/data.")
    Path dataDir = DatasetCatalog.defaultDataDir();

    @Option(names = "--threads", defaultValue = "1",
            description = "Intra-op threads for DJL's PyTorch engine (OpenMP spin-waiting makes more threads than "
                    + "free cores very slow on a shared machine). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--output-dir", defaultValue = "benchmarks/results",
            description = "Where hard-negatives.json and hard-negatives.md go. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Console console = new Console(spec.commandLine().getOut());
        // read by DJL when the PyTorch engine loads, which has not happened yet in this JVM
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        HardNegativeBenchmark.Options options = new HardNegativeBenchmark.Options(rounds, warmupRounds, steps, warmup,
                hardNegatives, dataDir, Files.createTempDirectory("hard-negative-bench"));
        String loadBefore = TrainerBenchCommand.loadAverage();
        HardNegativeBenchmark.Result result = HardNegativeBenchmark.run(options);
        String load = "load average (1/5/15 min) before: " + loadBefore + ", after: "
                + TrainerBenchCommand.loadAverage();
        for (HardNegativeBenchmark.SourceResult s : result.sources()) {
            console.line("%s (M %d): %.1f samples/s, %.3f of memory; negatives mined %d, filled %d, steps without %d",
                    s.source(), s.m(), s.samplesPerSecond(), s.overBaseline(), s.negativesMined(),
                    s.negativesFilled(), s.stepsWithoutNegatives());
        }
        List<Path> written = result.write(outputDir, load);
        console.line("wrote %s and %s", written.get(0), written.get(1));
        return 0;
    }
}
