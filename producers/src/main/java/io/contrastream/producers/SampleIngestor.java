package io.contrastream.producers;

import io.contrastream.data.Dataset;
import io.contrastream.data.Example;
import io.contrastream.data.ImageFolderDataset;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.producers.internal.TokenBucket;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.EncodedImage;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a dataset's samples to the samples topic as {@link Sample} events (idempotent producer, key = sample
 * id), in dataset order: the streaming ingestion path for data that arrives continuously, and the input of the
 * Streams augmentation stage.
 *
 * <p>The payload is a FLOAT32 {@link Tensor} of shape {@code [C, H, W]} ({@code Image.toFloat32LE()}), or, for an
 * {@link ImageFolderDataset} with {@code encodedImages}, the file's original bytes as an {@link EncodedImage}
 * ({@code image/png} or {@code image/jpeg}). {@code source} is the dataset name; labels are sent; task ids are not.
 * {@link #stop()} stops after the current sample and flushes.
 */
public final class SampleIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(SampleIngestor.class);
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    /**
     * What to ingest.
     *
     * @param runId         run id (only in the client id and the summary)
     * @param dataset       the samples
     * @param encodedImages send an {@link ImageFolderDataset}'s file bytes instead of tensors
     * @param rateLimit     samples per second, 0 = unlimited
     * @param limit         samples to send, 0 = all
     */
    public record Config(String runId, Dataset dataset, boolean encodedImages, double rateLimit, int limit) {

        /** Validates. */
        public Config {
            if (runId == null || runId.isBlank()) {
                throw new IllegalArgumentException("SampleIngestor runId must not be blank");
            }
            if (dataset == null) {
                throw new IllegalArgumentException("SampleIngestor dataset is required");
            }
            if (encodedImages && !(dataset instanceof ImageFolderDataset)) {
                throw new IllegalArgumentException("SampleIngestor encodedImages needs an image folder source, but "
                        + dataset.name() + " is not one; send tensors instead");
            }
            if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
                throw new IllegalArgumentException("SampleIngestor rateLimit must be >= 0 (0 = unlimited), got "
                        + rateLimit);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("SampleIngestor limit must be >= 0 (0 = all), got " + limit);
            }
        }
    }

    private final Config config;
    private final EventCodec<Sample> codec = EventCodec.of(Sample.class);
    private volatile boolean stopping;

    /** An ingestor for {@code config}. */
    public SampleIngestor(Config config) {
        this.config = config;
    }

    /** Asks a running {@code run} to stop; safe from any thread. */
    public void stop() {
        stopping = true;
    }

    /** Runs on {@code cluster} with an idempotent producer; the samples topic must exist. */
    public ProduceSummary run(KafkaCluster cluster, TopicCatalog topics, ProgressListener listener) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientConfigs.producer(cluster, "sample-ingestor-" + config.runId()), new StringSerializer(),
                new ByteArraySerializer())) {
            return run(producer, topics.samples().name(), listener);
        }
    }

    /** Runs with a given producer (not closed here). */
    public ProduceSummary run(Producer<String, byte[]> producer, String samplesTopic, ProgressListener listener) {
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        Dataset dataset = config.dataset();
        int total = config.limit() == 0 ? dataset.size() : Math.min(config.limit(), dataset.size());
        TokenBucket bucket = new TokenBucket(config.rateLimit());
        AtomicReference<Exception> error = new AtomicReference<>();
        long start = System.nanoTime();
        long last = start;
        long sent = 0;
        for (int i = 0; i < total && !stopping; i++) {
            Sample sample = sample(dataset, i);
            bucket.acquire();
            producer.send(new ProducerRecord<>(samplesTopic, sample.getSampleId(), codec.encode(sample)), (m, e) -> {
                if (e != null) {
                    error.compareAndSet(null, e);
                }
            });
            sent++;
            check(error);
            long now = System.nanoTime();
            if (now - last >= PROGRESS_INTERVAL_NANOS) {
                last = now;
                progress.onProgress(new ProgressListener.Progress(0, 1, 0, sent, total, sent / ((now - start) / 1e9)));
            }
        }
        producer.flush();
        check(error);
        long now = System.nanoTime();
        progress.onProgress(new ProgressListener.Progress(0, 1, 0, sent, total, sent / Math.max(1e-9,
                (now - start) / 1e9)));
        ProduceSummary.Outcome outcome = stopping ? ProduceSummary.Outcome.STOPPED : ProduceSummary.Outcome.COMPLETED;
        LOG.info("Ingested {} of {} samples of {} to {} ({})", sent, total, dataset.name(), samplesTopic, outcome);
        return new ProduceSummary(config.runId(), outcome, sent, sent, 0, Duration.ofNanos(now - start));
    }

    /** The event for example {@code i}. */
    Sample sample(Dataset dataset, int i) {
        Object payload;
        String id = dataset.sampleId(i);
        int label = dataset.label(i);
        if (config.encodedImages()) {
            ImageFolderDataset folder = (ImageFolderDataset) dataset;
            payload = EncodedImage.newBuilder().setMediaType(folder.mediaType(i))
                    .setData(ByteBuffer.wrap(folder.encoded(i))).build();
        } else {
            Example ex = dataset.get(i);
            id = ex.sampleId();
            label = ex.label();
            payload = Tensor.newBuilder().setDtype(DType.FLOAT32)
                    .setShape(List.of(ex.image().channels(), ex.image().height(), ex.image().width()))
                    .setData(ByteBuffer.wrap(ex.image().toFloat32LE())).build();
        }
        return Sample.newBuilder().setSampleId(id).setLabel(label).setTaskId(null).setPayload(payload)
                .setSource(dataset.name()).setEventTime(Instant.now()).build();
    }

    private static void check(AtomicReference<Exception> error) {
        Exception e = error.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
