package io.contrastream.producers;

import ai.djl.ndarray.NDManager;
import io.contrastream.data.Dataset;
import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.model.CheckpointCheck;
import io.contrastream.model.CheckpointFiles;
import io.contrastream.model.CheckpointIntegrityException;
import io.contrastream.model.ContrastiveEncoder;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.Encoders;
import io.contrastream.model.InvalidEncoderSpecException;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.model.UnknownEncoderKindException;
import io.contrastream.producers.internal.HardNegativeKernel;
import io.contrastream.producers.internal.PoolProjections;
import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ANCE hard-negative miner (Xiong et al. 2021, "Approximate Nearest Neighbor Negative Contrastive Learning for
 * Dense Text Retrieval", ICLR): re-mines each anchor's nearest non-positives with every new checkpoint of a run.
 *
 * <p>Consumes {@link CheckpointEvent}s of {@link HardNegativeMinerConfig#runId} (read_committed, group
 * {@link HardNegativeMinerConfig#groupId}). Of the events one poll returns, only the newest step is mined, and only
 * if it is newer than the last step this instance mined; the others are skipped. Mining verifies the parameter file
 * (size and SHA-256, {@link CheckpointFiles}) before any byte reaches DJL, rebuilds the encoder from the event's
 * {@link EncoderSpec}, projects the pool ({@link ContrastiveEncoder#project}: the representation the contrastive loss
 * compares), L2-normalises, and takes for each anchor the {@code M} most similar pool samples of another label
 * ({@link HardNegativeKernel}, blocked so no {@code P x P} matrix is allocated). One {@link HardNegativeSet} per anchor
 * (key = anchor sample id, {@code minedWithStep} = the checkpoint's step) goes to the compacted hard-negatives topic
 * through an idempotent producer; after the flush the consumed offsets are committed. Delivery is at least once: a
 * crash between the flush and the commit re-mines the checkpoint, and the compacted topic keeps the latest set per
 * anchor.
 *
 * <p>A bad checkpoint (undecodable or invalid event, unknown or invalid encoder spec, input shape not the dataset's,
 * file missing / truncated / altered / not loadable, non-finite projections) is logged naming the checkpoint and the
 * reason and sent to the dead-letter topic with the event's bytes; when several of the run's checkpoints were queued
 * the next newest is tried; the miner goes on. {@link #run()} blocks until {@link #stop()} or
 * {@link HardNegativeMinerConfig#maxCheckpoints}.
 */
public final class HardNegativeMiner {

    private static final Logger LOG = LoggerFactory.getLogger(HardNegativeMiner.class);
    private static final int MAX_POLL_INTERVAL_MS = 30 * 60 * 1000;
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    private final KafkaCluster cluster;
    private final EventTopics topics;
    private final HardNegativeMinerConfig config;
    private final MiningListener listener;
    private final float[][] images;
    private final int[] labels;
    private final String[] ids;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private long lastMinedStep = Long.MIN_VALUE;

    private HardNegativeMiner(KafkaCluster cluster, EventTopics topics, HardNegativeMinerConfig config,
                              MiningListener listener) {
        this.cluster = cluster;
        this.topics = topics;
        this.config = config;
        this.listener = listener == null ? MiningListener.NONE : listener;
        Dataset dataset = config.dataset();
        int p = config.effectivePoolSize();
        this.images = new float[p][];
        this.labels = new int[p];
        this.ids = new String[p];
        for (int i = 0; i < p; i++) {
            images[i] = dataset.get(i).image().pixels();
            labels[i] = dataset.label(i);
            ids[i] = dataset.sampleId(i);
        }
    }

    /** Loads the pool (the first {@code min(P, size)} samples of the dataset) and returns a miner ready to run. */
    public static HardNegativeMiner create(KafkaCluster cluster, EventTopics topics, HardNegativeMinerConfig config,
                                          MiningListener listener) {
        HardNegativeMiner miner = new HardNegativeMiner(cluster, topics, config, listener);
        LOG.info("miner {}: pool of {} samples of {}/{}, {} negatives per anchor", config.workerName(),
                miner.ids.length, config.dataset().name(), config.dataset().split(), config.negativesPerAnchor());
        return miner;
    }

    /** Asks {@link #run()} to return after the checkpoint in progress; safe from any thread. */
    public void stop() {
        stopped.set(true);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Consumes and mines until {@link #stop()} or {@code maxCheckpoints}; returns the outcomes. */
    public List<MiningOutcome> run() {
        List<MiningOutcome> outcomes = new ArrayList<>();
        String groupId = config.groupId(topics.catalog());
        Map<String, Object> consumerProps = KafkaClientConfigs.consumer(cluster, groupId,
                config.workerName() + "-consumer");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        int handled = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster,
                     config.workerName() + "-producer"), new StringSerializer(), new ByteArraySerializer())) {
            consumer = c;
            c.subscribe(List.of(topics.checkpoints().name()));
            listener.onStarted(groupId, ids.length);
            while (!stopped.get()) {
                ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
                if (records.isEmpty()) {
                    continue;
                }
                List<MiningOutcome> batch = handle(records, producer);
                commit(c, records);
                for (MiningOutcome outcome : batch) {
                    outcomes.add(outcome);
                    listener.onOutcome(outcome);
                    if (!(outcome instanceof MiningOutcome.Skipped)) {
                        handled++;
                    }
                }
                if (config.maxCheckpoints() > 0 && handled >= config.maxCheckpoints()) {
                    break;
                }
            }
        } catch (WakeupException e) {
            if (!stopped.get()) {
                throw e;
            }
        } finally {
            consumer = null;
        }
        return outcomes;
    }

    private record Queued(ConsumerRecord<byte[], byte[]> record, CheckpointEvent event) {
    }

    /** Mines the newest checkpoint of the polled records; returns one outcome per checkpoint event of the run. */
    private List<MiningOutcome> handle(ConsumerRecords<byte[], byte[]> records,
                                       KafkaProducer<String, byte[]> producer) {
        AtomicReference<Exception> sendError = new AtomicReference<>();
        List<MiningOutcome> outcomes = new ArrayList<>();
        List<Queued> queued = new ArrayList<>();
        EventCodec<CheckpointEvent> codec = EventCodec.of(CheckpointEvent.class);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            CheckpointEvent event;
            try {
                event = codec.decode(record.value());
            } catch (EventDecodingException e) {
                String detail = e.at(record.topic(), record.partition(), record.offset()).getMessage();
                LOG.warn("not mining undecodable checkpoint event: {}", detail);
                deadLetter(producer, record, "undecodable-event", detail, sendError);
                outcomes.add(new MiningOutcome.Failed("?", -1, "undecodable-event", detail));
                continue;
            }
            if (!config.runId().equals(event.getRunId())) {
                continue;
            }
            if (event.getStep() <= lastMinedStep) {
                outcomes.add(new MiningOutcome.Skipped(event.getRunId(), event.getStep(),
                        "not newer than the mined step " + lastMinedStep));
                continue;
            }
            queued.add(new Queued(record, event));
        }
        queued.sort(Comparator.comparingLong((Queued q) -> q.event().getStep()).reversed());
        Long mined = null;
        for (Queued q : queued) {
            CheckpointEvent event = q.event();
            if (mined != null) {
                outcomes.add(new MiningOutcome.Skipped(event.getRunId(), event.getStep(),
                        "the newer step " + mined + " was mined"));
                continue;
            }
            long t0 = System.nanoTime();
            Attempt attempt = mine(event, t0);
            if (attempt instanceof Attempt.Refused refused) {
                String detail = "checkpoint " + event.getParameterUri() + " of run " + event.getRunId() + " at step "
                        + event.getStep() + ": " + refused.detail();
                LOG.warn("not mining: {} ({})", detail, refused.reason());
                deadLetter(producer, q.record(), refused.reason(), detail, sendError);
                outcomes.add(new MiningOutcome.Failed(event.getRunId(), event.getStep(), refused.reason(), detail));
                continue;
            }
            HardNegativeKernel.Mined sets = ((Attempt.Done) attempt).mined();
            Instant now = Instant.now();
            String topic = topics.hardNegatives().name();
            for (int a = 0; a < ids.length; a++) {
                List<Candidate> candidates = new ArrayList<>(sets.indices()[a].length);
                for (int k = 0; k < sets.indices()[a].length; k++) {
                    candidates.add(Candidate.newBuilder().setSampleId(ids[sets.indices()[a][k]])
                            .setSimilarity(sets.similarities()[a][k]).build());
                }
                HardNegativeSet set = HardNegativeSet.newBuilder().setRunId(event.getRunId()).setAnchorId(ids[a])
                        .setCandidates(candidates).setMinedWithStep(event.getStep()).setMinedAt(now).build();
                send(producer, new ProducerRecord<>(topic, ids[a],
                        topics.hardNegatives().valueSerde().serializer().serialize(topic, set)), sendError);
            }
            producer.flush();
            checkSendError(sendError);
            mined = event.getStep();
            lastMinedStep = event.getStep();
            outcomes.add(new MiningOutcome.Mined(event.getRunId(), event.getStep(), ids.length,
                    config.negativesPerAnchor(), Duration.ofNanos(System.nanoTime() - t0)));
        }
        producer.flush();
        checkSendError(sendError);
        return outcomes;
    }

    private sealed interface Attempt {
        record Done(HardNegativeKernel.Mined mined) implements Attempt {
        }

        record Refused(String reason, String detail) implements Attempt {
        }
    }

    private Attempt mine(CheckpointEvent event, long t0) {
        EncoderSpec spec;
        try {
            spec = EncoderSpec.fromMap(event.getEncoderSpec());
        } catch (InvalidEncoderSpecException e) {
            return new Attempt.Refused(e instanceof UnknownEncoderKindException ? "unknown-encoder-kind"
                    : "invalid-encoder-spec", e.getMessage());
        }
        Dataset dataset = config.dataset();
        int[] shape = {dataset.channels(), dataset.height(), dataset.width()};
        if (!Arrays.equals(spec.inputShape(), shape)) {
            return new Attempt.Refused("input-shape-mismatch", "encoder input " + Arrays.toString(spec.inputShape())
                    + " but dataset " + dataset.name() + " has images " + Arrays.toString(shape)
                    + "; mine with the run's --dataset");
        }
        StoredCheckpoint stored;
        try {
            URI uri = URI.create(event.getParameterUri());
            Path.of(uri);
            stored = new StoredCheckpoint(uri, event.getSha256(), event.getByteSize());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return new Attempt.Refused("invalid-event", "uri '" + event.getParameterUri() + "' (must be an absolute"
                    + " file: URI), sha256 '" + event.getSha256() + "' (64 hex digits), byteSize "
                    + event.getByteSize() + " (>= 0): " + e.getMessage());
        }
        LOG.info("run {} step {}: verifying {}, then mining {} anchors", event.getRunId(), event.getStep(),
                event.getParameterUri(), ids.length);
        try (NDManager manager = NDManager.newBaseManager()) {
            ContrastiveEncoder encoder = Encoders.build(spec).initialize(manager);
            CheckpointCheck check = CheckpointFiles.load(stored, encoder.network(), manager);
            if (!(check instanceof CheckpointCheck.Verified)) {
                return new Attempt.Refused(check.label(), new CheckpointIntegrityException(check).getMessage());
            }
            try (PoolProjections pool = PoolProjections.of(manager, encoder, images, config.batchSize())) {
                long[] lastReport = {0};
                HardNegativeKernel.Mined mined = HardNegativeKernel.mine(labels, config.negativesPerAnchor(),
                        config.blockRows(), pool, (done, total) -> {
                            long now = System.nanoTime();
                            if (done == total || now - lastReport[0] >= PROGRESS_INTERVAL_NANOS) {
                                lastReport[0] = now;
                                listener.onProgress(event.getRunId(), event.getStep(), done, total,
                                        (now - t0) / 1e9);
                            }
                        });
                return new Attempt.Done(mined);
            } catch (IllegalStateException e) {
                return new Attempt.Refused("mining-error", e.getMessage());
            }
        }
    }

    private void deadLetter(KafkaProducer<String, byte[]> producer, ConsumerRecord<byte[], byte[]> record,
                            String reason, String detail, AtomicReference<Exception> sendError) {
        ProducerRecord<String, DeadLetter> letter = DeadLetters.of(topics.deadLetter(), record, reason,
                reason + ": " + detail, config.workerName());
        send(producer, new ProducerRecord<>(letter.topic(), null, letter.key(), topics.deadLetter().valueSerde()
                .serializer().serialize(letter.topic(), letter.value()), letter.headers()), sendError);
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record,
                             AtomicReference<Exception> sendError) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        });
    }

    private static void checkSendError(AtomicReference<Exception> sendError) {
        Exception e = sendError.get();
        if (e != null) {
            throw new KafkaException("publishing hard-negative sets failed; the checkpoint offset was not committed"
                    + " and will be mined again: " + e.getMessage(), e);
        }
    }

    private static void commit(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            // stop() arrived while mining: the sets are flushed, so record that before run() returns
            c.commitSync(offsets);
        } catch (CommitFailedException e) {
            LOG.warn("committing checkpoint offsets {} failed (group rebalanced); they will be mined again: {}",
                    offsets, e.getMessage());
        }
    }
}
