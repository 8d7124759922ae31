package io.contrastream.cli;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.HardNegativeMiner;
import io.contrastream.producers.HardNegativeMinerConfig;
import io.contrastream.producers.MiningListener;
import io.contrastream.producers.MiningOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mine}: the ANCE hard-negative miner of one run. */
@Command(name = "mine", mixinStandardHelpOptions = true,
        description = "Mine hard negatives (ANCE) for a run: on each new checkpoint of the run, project a pool of"
                + " training samples with it and publish, per anchor, its nearest samples of another class to the"
                + " hard-negatives topic (tagged with the checkpoint's step). Only the newest of several queued"
                + " checkpoints is mined. Runs until Ctrl-C or --max-checkpoints.")
public final class MineCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--run-id", required = true, description = "The run whose checkpoints are mined.")
    String runId;

    @Option(names = "--dataset", defaultValue = "fashion-mnist",
            description = "The run's dataset (its train split is the pool). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory. Default: .contrastream/data.")
    Path dataDir;

    @Option(names = "--pool", defaultValue = "" + HardNegativeMinerConfig.DEFAULT_POOL_SIZE,
            description = "Pool size P: the first P train samples by index are both anchors and candidates."
                    + " Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(names = "--negatives", defaultValue = "" + HardNegativeMinerConfig.DEFAULT_NEGATIVES,
            description = "Hard negatives per anchor M. Default: ${DEFAULT-VALUE}.")
    int negatives;

    @Option(names = "--batch-size", defaultValue = "" + HardNegativeMinerConfig.DEFAULT_BATCH_SIZE,
            description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--max-checkpoints", defaultValue = "0",
            description = "Stop after this many checkpoints mined or refused (0 = run until Ctrl-C).")
    int maxCheckpoints;

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() {
        Console console = new Console(spec.commandLine().getOut());
        Dataset data = new DatasetCatalog(dataDir != null ? dataDir : DatasetCatalog.defaultDataDir())
                .open(dataset, "train");
        HardNegativeMinerConfig config = HardNegativeMinerConfig.builder().setRunId(runId).setDataset(data)
                .optPoolSize(pool).optNegativesPerAnchor(negatives).optBatchSize(batchSize)
                .optMaxCheckpoints(maxCheckpoints).build();
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            EventTopics topics = new EventTopics(kafka.catalog());
            HardNegativeMiner miner = HardNegativeMiner.create(cluster, topics, config, new MiningListener() {
                @Override
                public void onStarted(String groupId, int poolSize) {
                    console.line("miner of run %s in group %s: pool of %d %s train samples, %d negatives each -> %s",
                            runId, groupId, poolSize, dataset, negatives, topics.hardNegatives().name());
                }

                @Override
                public void onProgress(String run, long step, int done, int total, double seconds) {
                    console.progress("run %s step %d %s %,d/%,d anchors  %.1f s", run, step,
                            Console.bar(done, total, 20), done, total, seconds);
                }

                @Override
                public void onOutcome(MiningOutcome outcome) {
                    if (outcome instanceof MiningOutcome.Mined m) {
                        console.line("%s", m.summaryLine());
                    } else if (outcome instanceof MiningOutcome.Failed f) {
                        console.line("run %s step %d FAILED (%s): %s", f.runId(), f.step(), f.reason(), f.detail());
                    } else if (outcome instanceof MiningOutcome.Skipped s) {
                        console.line("run %s step %d skipped (%s)", s.runId(), s.step(), s.why());
                    }
                }
            });
            List<MiningOutcome> outcomes;
            try (CtrlC ctrlC = CtrlC.onInterrupt("mine", miner::stop)) {
                outcomes = miner.run();
            }
            console.line("mined %d, failed %d, skipped %d checkpoints",
                    outcomes.stream().filter(o -> o instanceof MiningOutcome.Mined).count(),
                    outcomes.stream().filter(o -> o instanceof MiningOutcome.Failed).count(),
                    outcomes.stream().filter(o -> o instanceof MiningOutcome.Skipped).count());
            return 0;
        }
    }
}
