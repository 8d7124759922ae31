package io.contrastream.cli.bench;

import io.contrastream.cli.Console;
import io.contrastream.cli.KafkaOptions;
import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.DatasetMissingException;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.producers.ViewProducer;
import io.contrastream.producers.bench.ProducerBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench producer}: plain producer vs ViewProducer, interleaved, plus the Streams augmentation stage. */
@Command(name = "producer", mixinStandardHelpOptions = true,
        description = "On one broker: (a) a plain KafkaProducer sending random records of one encoded view's size,"
                + " (b) the ViewProducer, interleaved a/b over rounds, and (c) samples/s through the Streams"
                + " augmentation stage. Writes producer.md and producer.json to --output-dir.")
public final class ProducerBenchCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "Dataset (synthetic is used when its files are absent). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--views", defaultValue = "2", description = "V. Default: ${DEFAULT-VALUE}.")
    int views;

    @Option(names = "--views-per-round", defaultValue = "60000", description = "Records per round. Default: ${DEFAULT-VALUE}.")
    int viewsPerRound;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed a/b rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "3",
            description = "Least number of untimed a/b warm-up pairs; more run until JIT compilation takes under 5% of"
                    + " two pairs in a row (or --max-warmup-seconds pass). Default: ${DEFAULT-VALUE}.")
    int warmupRounds;

    @Option(names = "--max-warmup-seconds", defaultValue = "180",
            description = "No warm-up pair starts after this many seconds, quiet JIT or not. Default: ${DEFAULT-VALUE}.")
    int maxWarmupSeconds;

    @Option(names = "--augment-samples", defaultValue = "10000",
            description = "Samples through the Streams stage, 0 skips it. Default: ${DEFAULT-VALUE}.")
    int augmentSamples;

    @Option(names = "--workers", description = "ViewProducer augmentation threads. Default: processors - 1 (at least 1).")
    Integer workers;

    @Option(names = "--augment-threads", defaultValue = "1", description = "Stream threads of (c). Default: ${DEFAULT-VALUE}.")
    int augmentThreads;

    @Option(names = "--augment-commit-ms", defaultValue = "100",
            description = "Commit interval of (c) in ms. Default: ${DEFAULT-VALUE}.")
    int augmentCommitMs;

    @Option(names = "--output-dir", defaultValue = "benchmarks/results",
            description = "Where producer.md and producer.json go. Default: ${DEFAULT-VALUE}.")
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        DatasetCatalog catalog = new DatasetCatalog(dataDir != null ? dataDir : DatasetCatalog.defaultDataDir());
        Dataset data;
        try {
            data = catalog.open(dataset, "train");
        } catch (DatasetMissingException e) {
            console.line("%s is not imported (%s); using synthetic 28x28", dataset, e.getMessage());
            data = catalog.open("synthetic", "train");
        }
        int threads = workers != null ? workers : ViewProducer.defaultWorkers();
        Path state = Files.createTempDirectory("contrastream-bench");
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            ProducerBenchmark.Result result = ProducerBenchmark.run(cluster, new ProducerBenchmark.Config(data, views,
                    viewsPerRound, rounds, warmupRounds, maxWarmupSeconds, augmentSamples, threads, state,
                    augmentThreads, augmentCommitMs),
                    line -> console.line("%s", line));
            result.writeTo(outputDir);
            console.line("%s", result.toMarkdown());
            console.line("wrote %s and %s", outputDir.resolve("producer.md"), outputDir.resolve("producer.json"));
        }
        return 0;
    }
}
