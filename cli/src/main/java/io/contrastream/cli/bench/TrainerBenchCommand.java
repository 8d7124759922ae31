package io.contrastream.cli.bench;

import io.contrastream.cli.Console;
import io.contrastream.cli.KafkaOptions;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.trainer.bench.TrainerBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trainer throughput fed from memory vs from Kafka (and the PyTorch baseline), interleaved in one run. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Trainer loop throughput: 784-256-128 MLP, InfoNCE, batch 512, Adam, fed (a) from memory and "
                + "(b) from the views topic, interleaved; (c) the PyTorch baseline when the interpreter has torch. "
                + "Writes trainer.json and trainer.md.")
public final class TrainerBenchCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "Untimed rounds (memory and Kafka) before the timed ones. Default: ${DEFAULT-VALUE}.")
    int warmupRounds;

    @Option(names = "--steps", defaultValue = "40", description = "Steps per round. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "8", description = "Untimed steps per round. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--data-dir", description = "Where fashion-mnist is (synthetic 28x28 if missing). Default: .contrastream/data.")
    Path dataDir = DatasetCatalog.defaultDataDir();

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Interpreter for the PyTorch baseline; skipped when it cannot import torch. Default: ${DEFAULT-VALUE}.")
    Path python;

    @Option(names = "--baseline-script", defaultValue = "benchmarks/python/infonce_baseline.py",
            description = "The PyTorch baseline script. Default: ${DEFAULT-VALUE}.")
    Path script;

    @Option(names = "--threads", defaultValue = "1",
            description = "Intra-op threads for DJL's PyTorch engine and for the PyTorch baseline (equal for a fair "
                    + "ratio; OpenMP spin-waiting makes more threads than free cores very slow on a shared machine). "
                    + "Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--output-dir", defaultValue = "benchmarks/results",
            description = "Where trainer.json and trainer.md go. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Console console = new Console(spec.commandLine().getOut());
        // read by DJL when the PyTorch engine loads, which has not happened yet in this JVM
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        Optional<TrainerBenchmark.PythonBaseline> baseline = Optional.empty();
        if (Files.isExecutable(python) && Files.exists(script) && hasTorch()) {
            baseline = Optional.of(new TrainerBenchmark.PythonBaseline(python, script, threads));
        } else {
            console.line("PyTorch baseline skipped: %s cannot import torch or %s is missing", python, script);
        }
        Path scratch = Files.createTempDirectory("trainer-bench");
        String loadBefore = loadAverage();
        TrainerBenchmark.Result result;
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            result = TrainerBenchmark.run(cluster, new TrainerBenchmark.Options(rounds, warmupRounds, steps, warmup, dataDir,
                    baseline, scratch));
        }
        String load = "load average (1/5/15 min) before: " + loadBefore + ", after: " + loadAverage();
        Files.createDirectories(outputDir);
        Files.writeString(outputDir.resolve("trainer.json"), result.toJson().replaceFirst("\\}$",
                ",\"machineLoad\":\"" + load + "\"}") + "\n");
        Files.writeString(outputDir.resolve("trainer.md"), markdown(result) + "\nMachine " + load + ".\n");
        console.line("memory %.1f samples/s, kafka %.1f samples/s, kafka/memory %.3f%s", result.memorySamplesPerSecond(),
                result.kafkaSamplesPerSecond(), result.kafkaOverMemory(), result.kafkaOverPython()
                        .map(r -> String.format(Locale.ROOT, ", kafka/python %.3f (python %.1f samples/s, %s)", r,
                                result.pythonSamplesPerSecond().orElseThrow(), result.pythonBlas().orElse("?")))
                        .orElse(""));
        console.line("wrote %s and %s", outputDir.resolve("trainer.json"), outputDir.resolve("trainer.md"));
        return 0;
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or {@code unknown}. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private boolean hasTorch() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    static String markdown(TrainerBenchmark.Result r) {
        StringBuilder md = new StringBuilder();
        md.append("# Trainer throughput: memory vs Kafka vs PyTorch\n\n")
                .append("Model 784-256-128 MLP + 128-128-64 projection head, two-view InfoNCE (tau 0.2), batch 512, ")
                .append("Adam lr 1e-3, data ").append(r.dataset()).append(", device ").append(r.device())
                .append(", ").append(r.cores()).append(" cores (shared with other jobs; rounds interleaved so ")
                .append("load affects every source alike). ").append(r.steps()).append(" steps per round, first ")
                .append(r.warmupSteps()).append(" untimed, after one untimed warm-up round. Intra-op threads: DJL ").append(r.torchThreads())
                .append(", PyTorch baseline the same (torch.set_num_threads, and OPENBLAS_NUM_THREADS, OMP_NUM_THREADS,"
                        + " MKL_NUM_THREADS in its environment: torch.set_num_threads alone leaves the system OpenBLAS"
                        + " at one thread per core). Each round also runs the baseline with those variables unset,"
                        + " as a plain `python3` would; that line is reported, not the target.\n\n")
                .append("| source | warm samples/s (mean) |\n|---|---|\n")
                .append(String.format(Locale.ROOT, "| memory (InMemoryViewSource) | %.1f |%n", r.memorySamplesPerSecond()))
                .append(String.format(Locale.ROOT, "| Kafka (embedded broker, decode + validate + assemble) | %.1f |%n",
                        r.kafkaSamplesPerSecond()));
        r.pythonSamplesPerSecond().ifPresent(p -> md.append(String.format(Locale.ROOT,
                "| PyTorch baseline (in memory, random pixels), threads bounded as DJL's | %.1f |%n", p)));
        r.pythonBlasDefaultSamplesPerSecond().ifPresent(p -> md.append(String.format(Locale.ROOT,
                "| PyTorch baseline, BLAS thread variables unset (the BLAS picks its thread count) | %.1f |%n", p)));
        md.append(String.format(Locale.ROOT, "%nKafka / memory = **%.3f** (target >= 0.9)%n", r.kafkaOverMemory()));
        r.kafkaOverPython().ifPresent(x -> md.append(String.format(Locale.ROOT,
                "%nJava-Kafka / Python = **%.3f** (target >= 1.0); Python BLAS: %s%n", x, r.pythonBlas().orElse("?"))));
        r.pythonBlasDefaultSamplesPerSecond().ifPresent(p -> md.append(String.format(Locale.ROOT,
                "%nJava-Kafka / Python with the BLAS's default threads = %.3f (reported; Java keeps its 1 intra-op"
                        + " thread)%n", r.kafkaSamplesPerSecond() / p)));
        md.append("\nRounds in order:\n\n| # | source | samples/s |\n|---|---|---|\n");
        for (int i = 0; i < r.rounds().size(); i++) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %.1f |%n", i + 1, r.rounds().get(i).source(),
                    r.rounds().get(i).samplesPerSecond()));
        }
        md.append("\nReproduce: `contrastream bench trainer --data-dir <dir with fashion-mnist>`\n");
        return md.toString();
    }
}
