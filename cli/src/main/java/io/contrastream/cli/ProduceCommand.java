package io.contrastream.cli;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.ProduceSummary;
import io.contrastream.producers.ViewProducer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code produce}: streams augmented views of a dataset to the views topic, task by task. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Stream V augmented views of every sample of a dataset to the views topic, following a"
                + " class-incremental task schedule, with task START/END events on the control topic."
                + " With --kafka embedded the broker lives only as long as this process; use an external cluster"
                + " to feed other processes.")
public final class ProduceCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "fashion-mnist, mnist, cifar10, synthetic or synthetic-rgb. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--split", defaultValue = "train", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--schedule", defaultValue = "5x2",
            description = "joint, TxC (T tasks of C classes), shuffled:TxC, or e.g. \"0,1;2,3\". Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs per task. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--views", defaultValue = "2", description = "Views per sample (>= 2). Default: ${DEFAULT-VALUE}.")
    int views;

    @Option(names = "--augmentation", paramLabel = "digits|natural|none",
            description = "Augmentation preset. Default: digits for grayscale datasets, natural for RGB.")
    String augmentation;

    @Option(names = "--seed", defaultValue = "0", description = "Augmentation and shuffle seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "Views per second, 0 = unlimited. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--instance", defaultValue = "0", description = "This instance, 0-based. Default: ${DEFAULT-VALUE}.")
    int instance;

    @Option(names = "--instances", defaultValue = "1", description = "Producer instances sharing the dataset. Default: ${DEFAULT-VALUE}.")
    int instances;

    @Option(names = "--limit-per-task", defaultValue = "0",
            description = "Samples per task per epoch (over all instances), 0 = all. Default: ${DEFAULT-VALUE}.")
    int limitPerTask;

    @Option(names = "--workers", description = "Augmentation threads. Default: processors - 1 (at least 1).")
    Integer workers;

    @Option(names = "--include-original",
            description = "Send the un-augmented sample with view 0, for trainers that keep a replay buffer.")
    boolean includeOriginal;

    @Option(names = "--run-id", description = "Run id. Default: run-<epoch seconds>.")
    String runId;

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        Dataset data = new DatasetCatalog(dataDir != null ? dataDir : DatasetCatalog.defaultDataDir()).open(dataset, split);
        String run = runId != null ? runId : "run-" + System.currentTimeMillis() / 1000;
        ViewProducer.Builder builder = ViewProducer.builder().setRunId(run).setDataset(data)
                .optSchedule(ViewProducer.parseSchedule(schedule, data.numClasses(), seed)).optEpochs(epochs)
                .optViewCount(views).optSeed(seed).optRateLimit(rate).optInstance(instance, instances)
                .optLimitPerTask(limitPerTask).optIncludeOriginal(includeOriginal);
        if (augmentation != null) {
            builder.optAugmentation(AugmentationPresets.byName(augmentation));
        }
        if (workers != null) {
            builder.optWorkers(workers);
        }
        ViewProducer producer = builder.build();
        try (CtrlC ctrlC = CtrlC.onInterrupt("produce", producer::stop);
             KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            console.line("run %s: %s/%s (%d samples, %d classes), schedule %s, %d epochs, V=%d, instance %d of %d -> %s",
                    run, data.name(), data.split(), data.size(), data.numClasses(),
                    producer.config().schedule().format(), epochs, views, instance, instances,
                    kafka.catalog().views().name());
            ProduceSummary s = producer.run(cluster, kafka.catalog(), p -> console.progress(
                    "%s task %d/%d epoch %d  %,d/%,d views  %,.0f views/s", Console.bar(p.sent(), p.planned(), 30),
                    p.taskId() + 1, p.taskCount(), p.epoch() + 1, p.sent(), p.planned(), p.perSecond()));
            console.line("%s: %,d views of %,d samples, %d of %d tasks, %.1f s, %,.0f views/s", s.outcome(),
                    s.recordsSent(), s.samplesSent(), s.tasksCompleted(), producer.config().schedule().size(),
                    s.elapsed().toMillis() / 1000.0, s.recordsPerSecond());
            return 0;
        }
    }
}
