package io.contrastream.cli;

import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.KafkaClusters;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.replay.ReplayPolicy;
import io.contrastream.trainer.ReplaySettings;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.TrainerListener;
import io.contrastream.trainer.TrainerProgress;
import io.contrastream.trainer.TrainerSummary;
import io.contrastream.trainer.TrainerWorker;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import io.contrastream.schemas.CheckpointEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs one trainer worker on the views topic until a stop condition or Ctrl-C. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the encoder on the views topic of a run, publishing checkpoints exactly once; "
                + "resumes from the run's last committed checkpoint. Ctrl-C stops after the current step "
                + "(no checkpoint: the next start resumes from the last one).")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--run-id", required = true, description = "Run whose views to train on.")
    String runId;

    @Option(names = "--instance-id", defaultValue = "0", description = "Instance within the run. Default: ${DEFAULT-VALUE}.")
    int instanceId;

    @Option(names = "--encoder", defaultValue = "mlp", description = "mlp, cnn or resnet. Default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(names = "--hidden", split = ",", defaultValue = "256",
            description = "Hidden sizes (MLP widths, CNN/ResNet channels). Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(names = "--embedding-dim", defaultValue = "128", description = "Backbone output size. Default: ${DEFAULT-VALUE}.")
    int embeddingDim;

    @Option(names = "--projection-dim", defaultValue = "64", description = "Projection-head output. Default: ${DEFAULT-VALUE}.")
    int projectionDim;

    @Option(names = "--input-shape", split = ",", defaultValue = "1,28,28",
            description = "C,H,W of the views. Default: ${DEFAULT-VALUE}.")
    int[] inputShape;

    @Option(names = "--loss", defaultValue = "infonce", description = "Loss name. Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--temperature", defaultValue = "0.2", description = "Loss temperature. Default: ${DEFAULT-VALUE}.")
    float temperature;

    @Option(names = "--loss-param", paramLabel = "KEY=VALUE",
            description = "Loss parameter, repeatable: anchors, mochi.hardest, mochi.synthetic, mochi.querySynthetic,"
                    + " mochi.seed, rehearsal.weight, rehearsal.temperature, ird.weight, ird.temperature,"
                    + " ird.teacherTemperature. E.g. --loss-param rehearsal.weight=1 with --replay-buffer adds a"
                    + " SupCon term on the replayed samples.")
    Map<String, String> lossParams = new LinkedHashMap<>();

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    float momentum;

    @Option(names = "--batch-size", defaultValue = "256", description = "Samples per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--views", defaultValue = "2", description = "Views per sample. Default: ${DEFAULT-VALUE}.")
    int views;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--checkpoint-dir", defaultValue = ".contrastream/checkpoints",
            description = "Directory of checkpoint files. Default: ${DEFAULT-VALUE}.")
    Path checkpointDir;

    @Option(names = "--seed", defaultValue = "42", description = "Initialisation seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many steps (0 = no limit). Default: ${DEFAULT-VALUE}.")
    long maxSteps;

    @Option(names = "--stop-after-last-task", description = "Stop once the run's final task has ended.")
    boolean stopAfterLastTask;

    @Option(names = "--idle-timeout", defaultValue = "PT0S",
            description = "Stop when nothing arrives this long (ISO-8601; PT0S = never). Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--replay-buffer", defaultValue = "0",
            description = "Replay buffer capacity in samples (0 = no replay). Needs views produced with "
                    + "--include-original. Default: ${DEFAULT-VALUE}.")
    int replayBuffer;

    @Option(names = "--replay-policy", defaultValue = "reservoir",
            description = "reservoir or class-balanced. Default: ${DEFAULT-VALUE}.")
    String replayPolicy;

    @Option(names = "--replay-ratio", defaultValue = "0.5",
            description = "Replayed samples per current sample in each batch. Default: ${DEFAULT-VALUE}.")
    double replayRatio;

    @Option(names = "--replay-augmentation",
            description = "Augmentation preset for replayed samples: digits, natural or none. Default: digits for "
                    + "1-channel inputs, natural otherwise.")
    String replayAugmentation;

    @Option(names = "--hard-negatives", defaultValue = "0", paramLabel = "M",
            description = "Explicit negatives per sample (ANCE): the sample's newest mined candidates from the"
                    + " hard-negatives topic, then random cached samples of another label; 0 = off. Needs a loss"
                    + " that uses explicit negatives (infonce, multiview-infonce, dcl, supcon, mw)."
                    + " Default: ${DEFAULT-VALUE}.")
    int hardNegatives;

    @Option(names = "--negative-cache-size", defaultValue = "20000",
            description = "Trained samples kept to resolve mined candidates into pixels and fill negatives."
                    + " Default: ${DEFAULT-VALUE}.")
    int negativeCacheSize;

    @Spec
    CommandSpec spec;

    ReplaySettings replaySettings() {
        ReplayPolicy policy;
        switch (replayPolicy.toLowerCase(Locale.ROOT)) {
            case "reservoir" -> policy = ReplayPolicy.RESERVOIR;
            case "class-balanced", "class_balanced" -> policy = ReplayPolicy.CLASS_BALANCED;
            default -> throw new ParameterException(spec.commandLine(), "--replay-policy must be reservoir or "
                    + "class-balanced, got '" + replayPolicy + "'");
        }
        return new ReplaySettings(replayBuffer, policy, replayRatio, Optional.ofNullable(replayAugmentation));
    }

    TrainerConfig config() {
        EncoderSpec encoderSpec = new EncoderSpec(EncoderSpec.Kind.valueOf(encoder.toUpperCase(Locale.ROOT)),
                inputShape, hidden, embeddingDim, projectionDim);
        OptimizerConfig.Algorithm algorithm = OptimizerConfig.Algorithm.valueOf(optimizer.toUpperCase(Locale.ROOT));
        OptimizerConfig.Builder optim = OptimizerConfig.builder().setAlgorithm(algorithm).setLearningRate(learningRate);
        if (algorithm == OptimizerConfig.Algorithm.SGD) {
            optim.optMomentum(momentum);
        }
        return TrainerConfig.builder().setRunId(runId).optInstanceId(instanceId).setCatalog(kafka.catalog())
                .setCheckpointDir(checkpointDir).setEncoder(encoderSpec).setLoss(new LossConfig(loss, temperature, lossParams))
                .setOptimizer(optim.build()).setSeed(seed).optBatchSize(batchSize).optViews(views)
                .optCheckpointEverySteps(checkpointEvery).optMaxSteps(maxSteps)
                .optStopAfterLastTask(stopAfterLastTask).optIdleTimeout(idleTimeout).optReplay(replaySettings())
                .optHardNegatives(hardNegatives).optNegativeCacheSize(negativeCacheSize).build();
    }

    @Override
    @SuppressWarnings("try") // the CtrlC resource works by being open, not by being used
    public Integer call() throws InterruptedException {
        Console console = new Console(spec.commandLine().getOut());
        TrainerConfig config = config();
        try (KafkaCluster cluster = KafkaClusters.start(kafka.clusterConfig())) {
            TopicProvisioner.provision(cluster, kafka.catalog().all());
            TrainerWorker worker = TrainerWorker.create(cluster, config, new TrainerListener() {
                @Override
                public void onStep(TrainerProgress p) {
                    console.progress("step %d  %.1f samples/s  loss %.4f  lr %.2e  task %d  buffered %d  dropped %d"
                                    + "  dead-lettered %d  on %s", p.step(), p.samplesPerSecond(), p.loss(),
                            p.learningRate(), p.taskId(), p.bufferedSamples(), p.dropped(), p.deadLettered(),
                            p.device());
                }

                @Override
                public void onCheckpoint(CheckpointEvent c) {
                    console.line("checkpoint step %d (task %d%s): %s", c.getStep(), c.getTaskId(),
                            c.getTaskEnd() ? ", task end" : "", c.getParameterUri());
                }
            });
            console.line("training run %s (instance %d) from %s on %s", runId, instanceId,
                    kafka.catalog().views().name(), cluster.description());
            try (CtrlC ctrlC = CtrlC.onInterrupt("train", worker::stop)) {
                TrainerSummary summary = worker.run();
                console.line("stopped (%s): %d steps, %d samples, %d dropped, %d dead-lettered%s; last checkpoint %s",
                        summary.reason(), summary.steps(), summary.samples(), summary.dropped(),
                        summary.deadLettered(), DemoCommand.skippedNote(summary), summary.lastCheckpoint().map(CheckpointEvent::getParameterUri)
                                .orElse("none"));
            }
        }
        return 0;
    }
}
