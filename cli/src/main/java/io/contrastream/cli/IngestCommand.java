package io.contrastream.cli;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.ImageFolderDataset;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.ProduceSummary;
import io.contrastream.producers.SampleIngestor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest}: publishes raw samples to the samples topic, the input of the {@code augment} stage. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Publish Sample events (key = sample id) to the samples topic from a dataset (IDX, CIFAR-10"
                + " binary, synthetic) or from a folder of PNG/JPEG images labelled by sub-folder (class/image.png).")
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "synthetic",
            description = "fashion-mnist, mnist, cifar10, synthetic or synthetic-rgb (ignored with --image-folder)."
                    + " Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--split", defaultValue = "train", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--image-folder", paramLabel = "DIR",
            description = "Ingest DIR/<class>/<image>.png|jpg instead of a dataset; classes sorted by name.")
    Path imageFolder;

    @Option(names = "--encoded",
            description = "With --image-folder: send the original PNG/JPEG bytes instead of FLOAT32 tensors.")
    boolean encoded;

    @Option(names = "--rate", defaultValue = "0", description = "Samples per second, 0 = unlimited. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--limit", defaultValue = "0", description = "Samples to send, 0 = all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--run-id", defaultValue = "ingest", description = "Run id (client id). Default: ${DEFAULT-VALUE}.")
    String runId;

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        if (encoded && imageFolder == null) {
            spec.commandLine().getErr().println("--encoded needs --image-folder (datasets are sent as tensors)");
            return 2;
        }
        Dataset data = imageFolder != null ? ImageFolderDataset.open(imageFolder)
                : new DatasetCatalog(dataDir != null ? dataDir : DatasetCatalog.defaultDataDir()).open(dataset, split);
        SampleIngestor ingestor = new SampleIngestor(new SampleIngestor.Config(runId, data, encoded, rate, limit));
        try (CtrlC ctrlC = CtrlC.onInterrupt("ingest", ingestor::stop);
             KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            console.line("ingesting %s (%d samples, %dx%dx%d, %s) -> %s", data.name(), data.size(), data.channels(),
                    data.height(), data.width(), encoded ? "encoded images" : "FLOAT32 tensors",
                    kafka.catalog().samples().name());
            ProduceSummary s = ingestor.run(cluster, kafka.catalog(), p -> console.progress("%s %,d/%,d samples  %,.0f/s",
                    Console.bar(p.sent(), p.planned(), 30), p.sent(), p.planned(), p.perSecond()));
            console.line("%s: %,d samples in %.1f s, %,.0f samples/s", s.outcome(), s.recordsSent(),
                    s.elapsed().toMillis() / 1000.0, s.recordsPerSecond());
            return 0;
        }
    }
}
