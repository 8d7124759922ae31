package io.contrastream.trainer;

import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.model.CheckpointCheck;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.trainer.engine.TrainingEngine;
import io.contrastream.trainer.internal.CheckpointSink;
import io.contrastream.trainer.internal.ResumePoint;
import io.contrastream.trainer.internal.TrainingLoop;
import io.contrastream.trainer.kafka.CheckpointLog;
import io.contrastream.trainer.kafka.ControlReader;
import io.contrastream.trainer.kafka.KafkaCheckpointSink;
import io.contrastream.trainer.kafka.KafkaHardNegativeSource;
import io.contrastream.trainer.kafka.KafkaViewSource;
import io.contrastream.schemas.TopicPartitionOffset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer worker: consumes {@code AugmentedView}s of one run from the views topic, trains the encoder with
 * {@link TrainingEngine}, and publishes checkpoints exactly once; after a crash it resumes exactly where its last
 * committed checkpoint left off.
 *
 * <p>{@link #run()} blocks on the calling thread until a stop condition ({@link TrainerSummary.StopReason});
 * {@link #stop()} may be called from any thread and makes {@code run()} return after the current step, without a
 * checkpoint (like a crash: the next run resumes from the last committed one).
 *
 * <p><b>Checkpoint semantics.</b> Every {@link TrainerConfig#checkpointEverySteps()} steps, at each task end and at
 * a final stop, the worker writes the parameter file and a "pending-views" file (every view consumed but not yet
 * trained, with its topic-partition-offset, plus task state and counters), then commits in ONE transaction (id
 * {@link TrainerConfig#transactionalId()}) the {@link CheckpointEvent} (offsets = the consumer's positions), the
 * dead letters of records it skipped, and the group offsets. Committed offsets + pending views = exactly the records
 * not yet trained, so nothing is lost or repeated. On start it resumes from the newest committed checkpoint of this
 * run and instance whose files verify. With Adam (the default, applied by {@code DirectAdam} on the PyTorch engine)
 * the checkpoint also holds the optimiser state (update count and moments, the "optimizer" attachment), so a resumed
 * run continues bit for bit as the uninterrupted one would. Not in a checkpoint: the optimiser state of SGD (momentum
 * buffers) and of Adam with direct updates off (DJL cannot save them; they restart at zero, with a WARN) and the
 * teacher snapshot; the learning-rate schedule always resumes at the stored step.
 *
 * <p><b>Hard negatives</b> ({@link TrainerConfig#hardNegatives()} {@code > 0}): the worker also reads the
 * {@code hard-negatives} topic (all partitions, from the beginning, read committed) and joins each sample's newest
 * mined candidates, resolved through a cache of trained samples, into its batch as explicit negatives. That cache
 * and index are not checkpointed, so with hard negatives on a resumed run's batches are not bit-identical to the
 * uninterrupted run's; the exactly-once consumption of views is unchanged.
 */
public final class TrainerWorker {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerWorker.class);

    /** How long a starting trainer may read the hard-negatives topic before training (the rest arrives later). */
    private static final Duration HARD_NEGATIVE_CATCH_UP = Duration.ofSeconds(30);

    private final KafkaCluster cluster;
    private final TrainerConfig config;
    private final TrainerListener listener;
    private final ViewSource memorySource;
    private final List<TaskEvent> memoryTasks;
    private final HardNegativeSource memoryNegatives;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    private TrainerWorker(KafkaCluster cluster, TrainerConfig config, TrainerListener listener,
                          ViewSource memorySource, List<TaskEvent> memoryTasks, HardNegativeSource memoryNegatives) {
        this.cluster = cluster;
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.memorySource = memorySource;
        this.memoryTasks = memoryTasks;
        this.memoryNegatives = memoryNegatives;
    }

    /** A worker on the views topic of {@code cluster}; nothing connects until {@link #run()}. */
    public static TrainerWorker create(KafkaCluster cluster, TrainerConfig config, TrainerListener listener) {
        return new TrainerWorker(Objects.requireNonNull(cluster, "cluster"), config, listener, null, List.of(), null);
    }

    /**
     * A worker on any {@link ViewSource} (e.g. {@link InMemoryViewSource}) with the given task events and no
     * checkpoints (nothing to commit offsets to): the same training loop, for benchmarks and tests. Dead letters
     * are counted and logged but not sent.
     */
    public static TrainerWorker fromSource(ViewSource source, List<TaskEvent> taskEvents, TrainerConfig config,
                                           TrainerListener listener) {
        return fromSource(source, taskEvents, HardNegativeSource.none(), config, listener);
    }

    /**
     * As {@link #fromSource(ViewSource, List, TrainerConfig, TrainerListener)}, with mined hard-negative sets from
     * {@code negatives} (e.g. {@link InMemoryHardNegativeSource}), used when {@link TrainerConfig#hardNegatives()}
     * is on. The caller keeps ownership of both sources.
     */
    public static TrainerWorker fromSource(ViewSource source, List<TaskEvent> taskEvents, HardNegativeSource negatives,
                                           TrainerConfig config, TrainerListener listener) {
        return new TrainerWorker(null, config, listener, Objects.requireNonNull(source, "source"),
                List.copyOf(taskEvents), Objects.requireNonNull(negatives, "negatives"));
    }

    /** Asks {@link #run()} to return after the current step, without writing a checkpoint. Thread-safe. */
    public void stop() {
        stopRequested.set(true);
    }

    /**
     * Trains until a stop condition.
     *
     * @throws io.contrastream.trainer.engine.TrainingDivergedException if too many steps in a row were non-finite
     * @throws TrainerAbortedException if fenced by another instance, parameters became non-finite, or the newest
     *                                 usable checkpoint was written for a different encoder
     */
    public TrainerSummary run() {
        try (TrainingEngine engine = TrainingEngine.builder().setEncoder(config.encoder()).setLoss(config.loss())
                .setOptimizer(config.optimizer()).setSeed(config.seed()).build()) {
            LOG.info("trainer {}/{} training on device {}", config.runId(), config.instanceId(), engine.device());
            return memorySource != null ? runInMemory(engine) : runOnKafka(engine);
        }
    }

    private TrainerSummary runInMemory(TrainingEngine engine) {
        List<TaskEvent> pending = new java.util.ArrayList<>(memoryTasks);
        TrainingLoop loop = new TrainingLoop(config, engine, memorySource, CheckpointSink.disabled(), () -> {
            List<TaskEvent> out = List.copyOf(pending);
            pending.clear();
            return out;
        }, memoryNegatives, listener, stopRequested, provenance(Optional.empty()));
        return loop.run();
    }

    private TrainerSummary runOnKafka(TrainingEngine engine) {
        EventTopics topics = new EventTopics(config.catalog());
        String clientId = "trainer-" + config.runId() + "-" + config.instanceId();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.transactionalProducer(cluster,
                clientId + "-tx", config.transactionalId()), new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ofSeconds(5));
            throw e;
        }
        Optional<ResumePoint> resume;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster,
                clientId + "-checkpoints"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<CheckpointEvent> events = CheckpointLog.read(reader, topics.checkpoints().name(), config.runId(),
                    config.instanceId(), Duration.ofSeconds(30));
            resume = CheckpointLog.newestUsable(events);
        } catch (RuntimeException e) {
            producer.close(Duration.ofSeconds(5));
            throw e;
        }
        Map<TopicPartition, Long> resumeOffsets = new HashMap<>();
        if (resume.isPresent()) {
            load(engine, resume.get(), producer);
            for (TopicPartitionOffset o : resume.get().event().getOffsets()) {
                resumeOffsets.put(new TopicPartition(o.getTopic(), o.getPartition()), o.getOffset());
            }
        } else {
            LOG.info("no usable checkpoint of run {} instance {}: starting fresh", config.runId(), config.instanceId());
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientConfigs.consumer(cluster,
                config.groupId(), clientId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaViewSource source = new KafkaViewSource(consumer, topics.views().name(), resumeOffsets);
        try (source;
             KafkaCheckpointSink sink = new KafkaCheckpointSink(producer, topics.checkpoints().name(), source,
                     config.transactionalId());
             ControlReader control = new ControlReader(new KafkaConsumer<>(KafkaClientConfigs.reader(cluster,
                     clientId + "-control"), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                     topics.control().name(), config.runId());
             HardNegativeSource negatives = config.hardNegatives() > 0
                     ? new KafkaHardNegativeSource(new KafkaConsumer<>(KafkaClientConfigs.reader(cluster,
                     clientId + "-hard-negatives"), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                     topics.hardNegatives().name(), HARD_NEGATIVE_CATCH_UP) : HardNegativeSource.none()) {
            TrainingLoop loop = new TrainingLoop(config, engine, source, sink, control, negatives, listener,
                    stopRequested, provenance(resume.map(r -> r.event().getParameterUri())));
            resume.ifPresent(loop::restore);
            return loop.run();
        }
    }

    private void load(TrainingEngine engine, ResumePoint resume, KafkaProducer<String, byte[]> producer) {
        CheckpointEvent event = resume.event();
        if (!config.encoder().toMap().equals(event.getEncoderSpec())) {
            producer.close(Duration.ofSeconds(5));
            throw new TrainerAbortedException(TrainerAbortedException.Reason.CANNOT_RESUME, "checkpoint step "
                    + event.getStep() + " of run " + config.runId() + " was written for encoder "
                    + event.getEncoderSpec() + " but this trainer is configured with " + config.encoder().toMap()
                    + "; use the same encoder options or a new --run-id", null);
        }
        CheckpointCheck check = engine.loadParameters(resume.parameters(), Math.toIntExact(event.getStep()),
                resume.optimizer());
        if (!(check instanceof CheckpointCheck.Verified)) {
            producer.close(Duration.ofSeconds(5));
            throw new TrainerAbortedException(TrainerAbortedException.Reason.CANNOT_RESUME, "checkpoint step "
                    + event.getStep() + " (" + event.getParameterUri() + ") verified but could not be loaded: "
                    + check, null);
        }
    }

    private Map<String, String> provenance(Optional<String> resumedFrom) {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("codeVersion", codeVersion());
        extras.put("groupId", config.groupId());
        extras.put("transactionalId", config.transactionalId());
        resumedFrom.ifPresent(uri -> extras.put("resumedFrom", uri));
        return extras;
    }

    /** The build's version: the jar's Implementation-Version, else contrastream-build.properties, else "dev". */
    static String codeVersion() {
        String version = TrainerWorker.class.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        try (InputStream in = TrainerWorker.class.getResourceAsStream("/contrastream-build.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "dev");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contrastream-build.properties", e);
        }
        return "dev";
    }
}
