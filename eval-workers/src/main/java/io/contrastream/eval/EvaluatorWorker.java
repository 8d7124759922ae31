package io.contrastream.eval;

import io.contrastream.eval.internal.CheckpointEvaluator;
import io.contrastream.eval.internal.EvaluationData;
import io.contrastream.eval.internal.TaskClassDirectory;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.schemas.codec.EventDecodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every checkpoint announced on the checkpoints topic and publishes its metrics, exactly once per
 * checkpoint.
 *
 * <p>Consumes {@link CheckpointEvent}s in the group {@link EvaluatorConfig#groupId} (several evaluators of a suite
 * share the partitions). For each event it verifies and loads the checkpoint, embeds the held-out data with the
 * backbone, runs the {@link MetricSuite} and, for a task-end checkpoint with a replay buffer, the class-incremental
 * metrics; then, in ONE Kafka transaction, publishes every {@link MetricRecord} (keyed by {@link MetricKeys}) and
 * commits the consumed offset ({@code sendOffsetsToTransaction}). A crash before the commit re-evaluates the
 * checkpoint and the aborted records are never read by read-committed consumers; a re-evaluation publishes the same
 * keys, so tables keep one value per key.
 *
 * <p>Bad input (event undecodable or invalid, file missing / truncated / altered, unknown or invalid encoder spec,
 * input shape not the dataset's, replay attachment refused) is never loaded: the transaction instead holds an
 * {@code EVALUATION_FAILED} record (metric "evaluation", value NaN, label reason; not for undecodable events, which
 * have no run or step) and a dead letter with the event's bytes, and the worker goes on.
 *
 * <p>{@link #run()} blocks until {@link #stop()} is called from another thread.
 */
public final class EvaluatorWorker {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorWorker.class);
    private static final int MAX_POLL_INTERVAL_MS = 30 * 60 * 1000;

    private final KafkaCluster cluster;
    private final EventTopics topics;
    private final EvaluatorConfig config;
    private final EvaluationListener listener;
    private final EvaluationData data;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private EvaluatorWorker(KafkaCluster cluster, EventTopics topics, EvaluatorConfig config,
                            EvaluationListener listener, EvaluationData data) {
        this.cluster = cluster;
        this.topics = topics;
        this.config = config;
        this.listener = listener;
        this.data = data;
    }

    /**
     * Loads the evaluation data (fails fast if the dataset is missing) and returns a worker ready to {@link #run()}.
     */
    public static EvaluatorWorker create(KafkaCluster cluster, EventTopics topics, EvaluatorConfig config,
                                         EvaluationListener listener) {
        EvaluationData data = EvaluationData.load(config);
        LOG.info("evaluator {}: {} test and {} train images of {} loaded", config.workerName(),
                data.testLabels().length, data.trainLabels().length, config.dataset());
        return new EvaluatorWorker(cluster, topics, config, listener, data);
    }

    /** Asks {@link #run()} to return after the checkpoint in progress; safe from any thread. */
    public void stop() {
        stopped.set(true);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /**
     * Consumes and evaluates until {@link #stop()}.
     *
     * @throws ProducerFencedException if another instance with the same transactional id took over
     */
    public EvaluatorSummary run() {
        long start = System.nanoTime();
        List<CheckpointOutcome> outcomes = new ArrayList<>();
        String groupId = config.groupId(topics.catalog());
        Map<String, Object> consumerProps = KafkaClientConfigs.consumer(cluster, groupId,
                config.workerName() + "-consumer");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS);
        Map<String, Object> producerProps = KafkaClientConfigs.transactionalProducer(cluster,
                config.workerName() + "-producer", config.transactionalId(topics.catalog()));
        CheckpointEvaluator evaluator = new CheckpointEvaluator(data, config.effectiveSuite(), config.batchSize(),
                config.suiteThreads(),
                new TaskClassDirectory(cluster, topics.control(), config.workerName() + "-control")::classesUpTo);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer = c;
            producer.initTransactions();
            c.subscribe(List.of(topics.checkpoints().name()));
            listener.onStarted(groupId, data.testLabels().length, data.trainLabels().length);
            while (!stopped.get()) {
                for (ConsumerRecord<byte[], byte[]> record : c.poll(config.pollTimeout())) {
                    Optional<CheckpointOutcome> outcome = handle(record, evaluator, c, producer);
                    if (outcome.isEmpty()) {
                        break;
                    }
                    outcomes.add(outcome.get());
                    listener.onOutcome(outcome.get());
                }
            }
        } catch (WakeupException e) {
            if (!stopped.get()) {
                throw e;
            }
        } finally {
            consumer = null;
        }
        int evaluated = (int) outcomes.stream().filter(o -> o instanceof CheckpointOutcome.Evaluated).count();
        int failed = (int) outcomes.stream().filter(o -> o instanceof CheckpointOutcome.Failed).count();
        return new EvaluatorSummary(evaluated, failed, outcomes.size() - evaluated - failed,
                Duration.ofNanos(System.nanoTime() - start), outcomes);
    }

    /** Evaluates one record and commits its outcome; empty when the transaction was aborted (record rewound). */
    private Optional<CheckpointOutcome> handle(ConsumerRecord<byte[], byte[]> record, CheckpointEvaluator evaluator,
                                     KafkaConsumer<byte[], byte[]> c, KafkaProducer<String, byte[]> producer) {
        long t0 = System.nanoTime();
        Instant now = Instant.now();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        CheckpointOutcome outcome;
        CheckpointEvent event;
        try {
            event = EventCodec.of(CheckpointEvent.class).decode(record.value());
        } catch (EventDecodingException e) {
            CheckpointFailure failure = new CheckpointFailure(CheckpointFailure.Reason.UNDECODABLE_EVENT, "",
                    e.at(record.topic(), record.partition(), record.offset()).getMessage());
            out.add(deadLetter(record, failure));
            outcome = new CheckpointOutcome.Failed("?", -1, failure);
            return commit(record, out, outcome, c, producer);
        }
        String runId = event.getRunId();
        long step = event.getStep();
        if (config.runId().isPresent() && !config.runId().get().equals(runId)) {
            return commit(record, out, new CheckpointOutcome.Skipped(runId, step, "run filter "
                    + config.runId().get()), c, producer);
        }
        LOG.info("evaluating run {} step {} (task {}{}) with suite {}", runId, step, event.getTaskId(),
                event.getTaskEnd() ? ", task end" : "", config.suite().name());
        CheckpointEvaluator.Evaluation evaluation = evaluator.evaluate(event,
                (stage, done, total) -> listener.onProgress(runId, step, stage, done, total));
        if (evaluation instanceof CheckpointEvaluator.Evaluation.Done done) {
            for (var value : done.metrics()) {
                out.add(metric(EvaluationRecords.ok(runId, step, event.getTaskId(), value, now)));
            }
            outcome = new CheckpointOutcome.Evaluated(runId, step, event.getTaskId(), config.suite().name(),
                    done.metrics(), Duration.ofNanos(System.nanoTime() - t0), done.continualNote());
        } else {
            CheckpointFailure failure = ((CheckpointEvaluator.Evaluation.Refused) evaluation).failure();
            LOG.warn("not evaluating run {} step {} ({}): {}", runId, step, event.getParameterUri(),
                    failure.describe());
            out.add(metric(EvaluationRecords.failed(runId, step, event.getTaskId(), failure, now)));
            out.add(deadLetter(record, new CheckpointFailure(failure.reason(), failure.file(), "checkpoint "
                    + event.getParameterUri() + " of run " + runId + " at step " + step + ": "
                    + failure.detail())));
            outcome = new CheckpointOutcome.Failed(runId, step, failure);
        }
        return commit(record, out, outcome, c, producer);
    }

    private Optional<CheckpointOutcome> commit(ConsumerRecord<byte[], byte[]> record,
                                               List<ProducerRecord<String, byte[]>> out,
                                     CheckpointOutcome outcome, KafkaConsumer<byte[], byte[]> c,
                                     KafkaProducer<String, byte[]> producer) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : out) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)),
                    c.groupMetadata());
            producer.commitTransaction();
            return Optional.of(outcome);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction for {}-{}@{} aborted, will re-evaluate: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            producer.abortTransaction();
            if (c.assignment().contains(partition)) {
                c.seek(partition, record.offset());
            }
            return Optional.empty();
        }
    }

    private ProducerRecord<String, byte[]> metric(MetricRecord value) {
        String topic = topics.metrics().name();
        return new ProducerRecord<>(topic, MetricKeys.of(value),
                topics.metrics().valueSerde().serializer().serialize(topic, value));
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record,
                                                      CheckpointFailure failure) {
        ProducerRecord<String, DeadLetter> letter = DeadLetters.of(topics.deadLetter(), record, failure.label(),
                failure.describe(), config.workerName());
        return new ProducerRecord<>(letter.topic(), null, letter.key(), topics.deadLetter().valueSerde().serializer()
                .serialize(letter.topic(), letter.value()), letter.headers());
    }
}
