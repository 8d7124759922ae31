package io.contrastream.producers.bench;

import io.contrastream.data.Dataset;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.producers.AugmentConfig;
import io.contrastream.producers.AugmentStage;
import io.contrastream.producers.ProduceSummary;
import io.contrastream.producers.SampleIngestor;
import io.contrastream.producers.ViewFactory;
import io.contrastream.producers.ViewProducer;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.codec.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures, on one cluster in one run: (a) a plain {@code KafkaProducer<byte[], byte[]>} sending random records of
 * exactly the encoded size of one {@link AugmentedView} of the dataset, (b) the {@link ViewProducer} making and
 * sending views of the same dataset, interleaved a/b/a/b over several rounds so that a noisy machine penalises both
 * alike, and (c) the Streams augmentation stage: {@code N} samples ingested first, then the time from starting the
 * stage until all {@code N * V} views are committed (read with a {@code read_committed} consumer).
 *
 * <p>Both producers use {@link KafkaClientConfigs#producer} (idempotent, {@code acks=all}, same batching); each
 * round is timed from its first send to the end of its final flush. (a) and (b) each write to their own topics, the
 * same ones in every round, so the broker's partition count stays constant through the run.
 *
 * <p>The timed rounds measure warm code: untimed a/b warm-up pairs run until the JIT is quiet (compilation below
 * {@value #QUIET_COMPILE_SHARE} of the wall time of {@value #QUIET_PAIRS} pairs in a row, and at least
 * {@code warmupRounds} pairs), or until {@code maxWarmupSeconds} have passed. The in-JVM broker and the Kafka clients
 * keep C2 compiling for 30-60 s here (over 10,000 compilations; quiet after 34-55 pairs of 30,000 records); while the
 * JIT compiles it takes CPU from whichever side needs both cores, so a warm-up cut short measures compilation, not the
 * producers. Each round also reports the JIT time spent during it and the process CPU time per record, the
 * machine-independent cost of each side.
 */
public final class ProducerBenchmark {

    /** A warm-up pair is quiet when JIT compilation took less than this share of its wall time. */
    public static final double QUIET_COMPILE_SHARE = 0.05;

    /** The JIT is quiet when this many warm-up pairs in a row were each under {@link #QUIET_COMPILE_SHARE}. */
    public static final int QUIET_PAIRS = 2;

    private ProducerBenchmark() {
    }

    /**
     * What to run.
     *
     * @param dataset        dataset to make views of
     * @param viewCount      V
     * @param viewsPerRound  records per round of (a) and of (b)
     * @param rounds         timed a/b rounds
     * @param warmupRounds   least number of untimed a/b warm-up pairs (more run until the JIT is quiet)
     * @param maxWarmupSeconds no new warm-up pair starts after this many seconds of warm-up, quiet or not
     * @param augmentSamples N, samples through the Streams stage (0 skips (c))
     * @param workers        augmentation threads of the ViewProducer
     * @param stateDir       Kafka Streams state directory for (c)
     * @param augmentThreads stream threads of (c)
     * @param augmentCommitMs commit interval of (c)
     */
    public record Config(Dataset dataset, int viewCount, int viewsPerRound, int rounds, int warmupRounds,
                         int maxWarmupSeconds, int augmentSamples, int workers, Path stateDir, int augmentThreads,
                         int augmentCommitMs) {
        /** Validates. */
        public Config {
            if (dataset == null || stateDir == null) {
                throw new IllegalArgumentException("ProducerBenchmark dataset and stateDir are required");
            }
            if (viewCount < 2 || viewsPerRound < viewCount || rounds < 1 || warmupRounds < 1 || maxWarmupSeconds < 0
                    || augmentSamples < 0 || workers < 1) {
                throw new IllegalArgumentException("ProducerBenchmark needs viewCount >= 2, viewsPerRound >= viewCount,"
                        + " rounds >= 1, warmupRounds >= 1, maxWarmupSeconds >= 0, augmentSamples >= 0, workers >= 1");
            }
        }
    }

    /**
     * One round.
     *
     * @param round              1-based timed round, or {@code -k} for the k-th warm-up pair
     * @param compileSeconds     JIT compilation time during the round (all compiler threads)
     * @param cpuMicrosPerRecord process CPU time during the round per record (every thread: broker, clients, GC, JIT)
     */
    public record Round(int round, String kind, long records, double seconds, double recordsPerSecond,
                        double compileSeconds, double cpuMicrosPerRecord) {
    }

    /**
     * The measurements.
     *
     * @param dataset                  dataset name and shape
     * @param recordBytes              encoded size of one view (and of each plain record's value)
     * @param viewCount                V
     * @param plainViewsPerSecond      (a), median over rounds
     * @param producerViewsPerSecond   (b), median over rounds
     * @param ratio                    (b) / (a)
     * @param makeOnlyViewsPerSecond   (d): views made and encoded by {@link ViewFactory#encodedView} (what (b)
     *                                 sends) on the same number of threads, no Kafka: the ceiling augmentation puts
     *                                 on (b)
     * @param augmentSamples           N for (c)
     * @param augmentSamplesPerSecond  (c): N / seconds from stage start to all views committed
     * @param augmentSteadySamplesPerSecond (c) after the first view appeared (startup excluded)
     * @param plainCpuMicros           (a) process CPU time per record, median over rounds
     * @param producerCpuMicros        (b) process CPU time per view, median over rounds
     * @param warmupPairs              untimed a/b pairs run before the timed rounds
     * @param warmupSeconds            wall time of the warm-up
     * @param warmupQuiet              whether the warm-up ended because the JIT went quiet (else it hit its time cap)
     * @param rounds                   every round, warm-up pairs first
     * @param environment              machine notes
     * @param finishedAt               when the run ended
     */
    public record Result(String dataset, int recordBytes, int viewCount, double plainViewsPerSecond,
                         double producerViewsPerSecond, double ratio, double makeOnlyViewsPerSecond,
                         int augmentSamples,
                         double augmentSamplesPerSecond, double augmentSteadySamplesPerSecond,
                         double plainCpuMicros, double producerCpuMicros, int warmupPairs, double warmupSeconds,
                         boolean warmupQuiet,
                         List<Round> rounds,
                         String environment, Instant finishedAt) {

        /** The result as a JSON object. */
        public String toJson() {
            StringBuilder r = new StringBuilder();
            for (Round x : rounds) {
                if (r.length() > 0) {
                    r.append(",\n");
                }
                r.append(String.format(Locale.ROOT, "    {\"round\": %d, \"kind\": \"%s\", \"records\": %d, "
                        + "\"seconds\": %.3f, \"recordsPerSecond\": %.1f, \"compileSeconds\": %.3f, "
                        + "\"cpuMicrosPerRecord\": %.2f}", x.round, x.kind, x.records, x.seconds, x.recordsPerSecond,
                        x.compileSeconds, x.cpuMicrosPerRecord));
            }
            return String.format(Locale.ROOT, """
                    {
                      "dataset": "%s",
                      "recordBytes": %d,
                      "viewCount": %d,
                      "plainViewsPerSecond": %.1f,
                      "producerViewsPerSecond": %.1f,
                      "ratio": %.3f,
                      "makeOnlyViewsPerSecond": %.1f,
                      "augmentSamples": %d,
                      "augmentSamplesPerSecond": %.1f,
                      "augmentSteadySamplesPerSecond": %.1f,
                      "plainCpuMicrosPerRecord": %.2f,
                      "producerCpuMicrosPerView": %.2f,
                      "warmupPairs": %d,
                      "warmupSeconds": %.1f,
                      "warmupQuiet": %b,
                      "environment": "%s",
                      "finishedAt": "%s",
                      "rounds": [
                    %s
                      ]
                    }
                    """, dataset, recordBytes, viewCount, plainViewsPerSecond, producerViewsPerSecond, ratio,
                    makeOnlyViewsPerSecond,
                    augmentSamples, augmentSamplesPerSecond, augmentSteadySamplesPerSecond, plainCpuMicros,
                    producerCpuMicros, warmupPairs, warmupSeconds, warmupQuiet, environment.replace("\"", "'"),
                    finishedAt, r);
        }

        /** The result as a markdown report. */
        public String toMarkdown() {
            StringBuilder md = new StringBuilder();
            md.append("# Producer benchmark\n\n");
            md.append("Dataset ").append(dataset).append(", one encoded view = ").append(recordBytes)
                    .append(" bytes, V = ").append(viewCount).append(". ").append(environment).append("\n\n");
            md.append("| measurement | rate |\n|---|---|\n");
            md.append(String.format(Locale.ROOT, "| (a) plain KafkaProducer<byte[],byte[]>, %d-byte records |"
                    + " %,.0f records/s |%n", recordBytes, plainViewsPerSecond));
            md.append(String.format(Locale.ROOT, "| (b) ViewProducer (augment + encode + send) | %,.0f views/s |%n",
                    producerViewsPerSecond));
            md.append(String.format(Locale.ROOT, "| ratio b/a (target >= 0.6) | %.2f |%n", ratio));
            md.append(String.format(Locale.ROOT, "| (d) ViewFactory.encodedView only, no Kafka, same threads |"
                    + " %,.0f views/s |%n", makeOnlyViewsPerSecond));
            md.append(String.format(Locale.ROOT, "| process CPU per record: (a) / (b); ratio a/b | %.1f us / %.1f us;"
                    + " %.2f |%n", plainCpuMicros, producerCpuMicros,
                    producerCpuMicros == 0 ? 0 : plainCpuMicros / producerCpuMicros));
            if (augmentSamples > 0) {
                md.append(String.format(Locale.ROOT, "| (c) Streams augment stage, %d samples -> %d views, from start"
                        + " | %,.0f samples/s (%,.0f views/s) |%n", augmentSamples, augmentSamples * viewCount,
                        augmentSamplesPerSecond, augmentSamplesPerSecond * viewCount));
                md.append(String.format(Locale.ROOT, "| (c) same, after the first view (startup excluded) |"
                        + " %,.0f samples/s |%n", augmentSteadySamplesPerSecond));
            }
            md.append(String.format(Locale.ROOT, "%nRounds: %d untimed warm-up pairs (w1..) in %.0f s, %s, then timed"
                    + " rounds interleaved a/b/d; the rates above are the medians of the timed rounds. JIT s ="
                    + " compilation time during the round (all compiler threads); CPU us = process CPU time per"
                    + " record.%n%n"
                    + "| round | kind | records | s | records/s | JIT s | CPU us |%n|---|---|---|---|---|---|---|%n",
                    warmupPairs, warmupSeconds, warmupQuiet
                            ? String.format(Locale.ROOT, "until JIT compilation took under %.0f%% of %d pairs in a"
                                    + " row", QUIET_COMPILE_SHARE * 100, QUIET_PAIRS)
                            : String.format(Locale.ROOT, "stopped by the time cap before JIT compilation took under"
                                    + " %.0f%% of %d pairs in a row", QUIET_COMPILE_SHARE * 100, QUIET_PAIRS)));
            for (Round x : rounds) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %,.0f | %.2f | %.1f |%n",
                        x.round < 0 ? "w" + -x.round : Integer.toString(x.round), x.kind, x.records, x.seconds,
                        x.recordsPerSecond, x.compileSeconds, x.cpuMicrosPerRecord));
            }
            md.append("\nFinished ").append(finishedAt).append(".\n");
            return md.toString();
        }

        /** Writes {@code producer.md} and {@code producer.json} into {@code dir}. */
        public void writeTo(Path dir) {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("producer.md"), toMarkdown(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("producer.json"), toJson(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write benchmark results to " + dir, e);
            }
        }
    }

    /** Runs the benchmark on {@code cluster}; {@code log} receives a line per step. */
    public static Result run(KafkaCluster cluster, Config config, Consumer<String> log) {
        Dataset ds = config.dataset();
        ViewFactory factory = new ViewFactory("bench", AugmentationPipeline.of(presetFor(ds)), 0L);
        byte[] oneView = EventCodec.of(AugmentedView.class).encode(factory.view(ds.name(), ds.sampleId(0),
                ds.label(0), 0, ds.get(0).image(), 0, config.viewCount(), 0));
        int size = oneView.length;
        log.accept(String.format(Locale.ROOT, "dataset %s %dx%dx%d, encoded view %d bytes, %d views per round, %d rounds",
                ds.name(), ds.channels(), ds.height(), ds.width(), size, config.viewsPerRound(), config.rounds()));
        List<Round> rounds = new ArrayList<>();
        TopicCatalog plainTopics = freshTopics(cluster, 4);
        TopicCatalog producerTopics = freshTopics(cluster, 4);
        long warmupStart = System.nanoTime();
        WarmUp warmUp = new WarmUp(config.warmupRounds(), warmupStart + config.maxWarmupSeconds() * 1_000_000_000L);
        while (!warmUp.done(System.nanoTime())) {
            int pairs = warmUp.pairs() + 1;
            Round wa = plain(cluster, plainTopics, size, config.viewsPerRound(), -pairs);
            Round wb = viewProducer(cluster, producerTopics, config, config.viewsPerRound(), -pairs);
            rounds.add(wa);
            rounds.add(wb);
            double share = (wa.compileSeconds + wb.compileSeconds) / (wa.seconds + wb.seconds);
            log.accept(String.format(Locale.ROOT, "warm-up pair %d: %,.0f records/s, %,.0f views/s, JIT %.0f%% of"
                    + " the time", pairs, wa.recordsPerSecond, wb.recordsPerSecond, share * 100));
            warmUp.pair(share);
        }
        int pairs = warmUp.pairs();
        boolean quiet = warmUp.quiet();
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        log.accept(String.format(Locale.ROOT, "warm-up done after %d pairs in %.0f s%s", pairs, warmupSeconds,
                quiet ? "" : " (the time cap; the JIT never went quiet)"));
        makeOnly(config, factory, config.viewsPerRound(), 0);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        List<Double> cpuA = new ArrayList<>();
        List<Double> cpuB = new ArrayList<>();
        for (int r = 1; r <= config.rounds(); r++) {
            Round ra = plain(cluster, plainTopics, size, config.viewsPerRound(), r);
            rounds.add(ra);
            a.add(ra.recordsPerSecond);
            cpuA.add(ra.cpuMicrosPerRecord);
            log.accept(String.format(Locale.ROOT, "round %d (a) plain    %,10.0f records/s  %5.1f us CPU/record", r,
                    ra.recordsPerSecond, ra.cpuMicrosPerRecord));
            Round rb = viewProducer(cluster, producerTopics, config, config.viewsPerRound(), r);
            rounds.add(rb);
            b.add(rb.recordsPerSecond);
            cpuB.add(rb.cpuMicrosPerRecord);
            log.accept(String.format(Locale.ROOT, "round %d (b) producer %,10.0f views/s    %5.1f us CPU/view", r,
                    rb.recordsPerSecond, rb.cpuMicrosPerRecord));
            Round rd = makeOnly(config, factory, config.viewsPerRound(), r);
            rounds.add(rd);
            d.add(rd.recordsPerSecond);
            log.accept(String.format(Locale.ROOT, "round %d (d) make only %,9.0f views/s", r, rd.recordsPerSecond));
        }
        double pa = median(a);
        double pb = median(b);
        double[] c = config.augmentSamples() > 0 ? augment(cluster, config, log) : new double[] {0, 0};
        String env = String.format(Locale.ROOT, "Machine: %d cores visible to the JVM (shared with other work), Java %s,"
                + " %s %s; one embedded KRaft broker in the same JVM; ViewProducer workers = %d;"
                + " augment stage: %d stream thread(s), commit interval %d ms (exactly_once_v2).",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), config.workers(),
                config.augmentThreads(), config.augmentCommitMs());
        return new Result(ds.name() + " " + ds.channels() + "x" + ds.height() + "x" + ds.width(), size,
                config.viewCount(), pa, pb, pa == 0 ? 0 : pb / pa, median(d), config.augmentSamples(), c[0], c[1],
                median(cpuA), median(cpuB), pairs, warmupSeconds, quiet, rounds, env, Instant.now());
    }

    private static List<io.contrastream.data.augment.AugmentationSpec> presetFor(Dataset ds) {
        return ds.channels() == 1 ? AugmentationPresets.forDigits() : AugmentationPresets.forNaturalImages();
    }

    private static TopicCatalog freshTopics(KafkaCluster cluster, int partitions) {
        TopicCatalog catalog = new TopicCatalog("bench-" + UUID.randomUUID().toString().substring(0, 8), partitions,
                (short) 1);
        TopicProvisioner.provision(cluster, catalog.all());
        return catalog;
    }

    /**
     * When the warm-up ends: after at least {@code minPairs} pairs once the last {@link #QUIET_PAIRS} pairs each spent
     * under {@link #QUIET_COMPILE_SHARE} of their time compiling, or, quiet or not, at {@code deadlineNanos} (a pair
     * that started before it runs to its end).
     */
    static final class WarmUp {
        private final int minPairs;
        private final long deadlineNanos;
        private int pairs;
        private int quietInARow;

        WarmUp(int minPairs, long deadlineNanos) {
            this.minPairs = minPairs;
            this.deadlineNanos = deadlineNanos;
        }

        /** Records a pair that spent {@code compileShare} of its wall time in JIT compilation. */
        void pair(double compileShare) {
            pairs++;
            quietInARow = compileShare < QUIET_COMPILE_SHARE ? quietInARow + 1 : 0;
        }

        /** Whether no further pair should start at {@code nowNanos}. */
        boolean done(long nowNanos) {
            return pairs >= minPairs && (quiet() || nowNanos - deadlineNanos >= 0);
        }

        /** Whether the JIT was quiet for the last {@link #QUIET_PAIRS} pairs. */
        boolean quiet() {
            return quietInARow >= QUIET_PAIRS;
        }

        int pairs() {
            return pairs;
        }
    }

    /** Process CPU time and JIT time from its creation, for one round. */
    private static final class Meter {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean();
        private static final java.lang.management.CompilationMXBean JIT =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        private final long cpu0 = OS.getProcessCpuTime();
        private final long jit0 = JIT.getTotalCompilationTime();
        private final long wall0 = System.nanoTime();

        Round round(int round, String kind, long records) {
            double seconds = (System.nanoTime() - wall0) / 1e9;
            return round(round, kind, records, seconds);
        }

        Round round(int round, String kind, long records, double seconds) {
            double compile = (JIT.getTotalCompilationTime() - jit0) / 1e3;
            double cpuMicros = (OS.getProcessCpuTime() - cpu0) / 1e3 / Math.max(1, records);
            return new Round(round, kind, records, seconds, records / seconds, compile, cpuMicros);
        }
    }

    private static Round plain(KafkaCluster cluster, TopicCatalog topics, int size, int count, int round) {
        SplittableRandom rng = new SplittableRandom(round);
        byte[][] values = new byte[64][size];
        for (byte[] v : values) {
            for (int i = 0; i < size; i++) {
                v[i] = (byte) rng.nextInt(256);
            }
        }
        byte[][] keys = new byte[1000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("bench/train/" + String.format("%06d", i)).getBytes(StandardCharsets.UTF_8);
        }
        AtomicReference<Exception> error = new AtomicReference<>();
        String topic = topics.views().name();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster,
                "bench-plain"), new ByteArraySerializer(), new ByteArraySerializer())) {
            Meter meter = new Meter();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, keys[(i / 2) % keys.length], values[i & 63]), (m, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            Round measured = meter.round(round, "a plain", count);
            if (error.get() != null) {
                throw new IllegalStateException("plain producer failed: " + error.get(), error.get());
            }
            return measured;
        }
    }

    private static Round viewProducer(KafkaCluster cluster, TopicCatalog topics, Config config, int views, int round) {
        Dataset ds = config.dataset();
        int samples = Math.max(1, views / config.viewCount());
        int epochs = 1;
        while ((long) samples > (long) ds.size() * epochs) {
            epochs++;
        }
        int perEpoch = (samples + epochs - 1) / epochs;
        ViewProducer producer = ViewProducer.builder().setRunId(round < 0 ? "bench-w" + -round : "bench-" + round).setDataset(ds)
                .optSchedule(TaskSchedule.joint(ds.numClasses())).optEpochs(epochs).optViewCount(config.viewCount())
                .optAugmentation(presetFor(ds)).optLimitPerTask(perEpoch).optWorkers(config.workers())
                .optSeed(round).build();
        Meter meter = new Meter();
        ProduceSummary s = producer.run(cluster, topics, null);
        return meter.round(round, "b ViewProducer", s.recordsSent(), s.elapsed().toNanos() / 1e9);
    }

    private static Round makeOnly(Config config, ViewFactory factory, int views, int round) {
        Dataset ds = config.dataset();
        int threads = config.workers();
        int per = views / threads;
        List<Thread> workers = new ArrayList<>();
        long[] sink = new long[threads];
        Meter meter = new Meter();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                long s = 0;
                for (int i = 0; i < per; i++) {
                    int index = (id * per + i) / config.viewCount() % ds.size();
                    var ex = ds.get(index);
                    s += factory.encodedView(ds.name(), ex.sampleId(), ex.label(), 0, ex.image(),
                            i % config.viewCount(), config.viewCount(), round).length;
                }
                sink[id] = s;
            }, "bench-make-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        long made = (long) per * threads;
        Round measured = meter.round(round, "d make only", made);
        if (java.util.Arrays.stream(sink).sum() <= 0) {
            throw new IllegalStateException("no views were made");
        }
        return measured;
    }

    /** Returns {samples/s from start, samples/s after the first view}. */
    private static double[] augment(KafkaCluster cluster, Config config, Consumer<String> log) {
        TopicCatalog topics = freshTopics(cluster, 4);
        Dataset ds = config.dataset();
        int n = Math.min(config.augmentSamples(), ds.size());
        new SampleIngestor(new SampleIngestor.Config("bench", ds, false, 0, n)).run(cluster, topics, null);
        log.accept("ingested " + n + " samples; starting the augmentation stage");
        long expected = (long) n * config.viewCount();
        AugmentConfig ac = AugmentConfig.defaults(topics, "bench").withViewCount(config.viewCount())
                .withAugmentation(presetFor(ds)).withApplicationId(topics.prefix() + ".augment")
                .withThreads(config.augmentThreads()).withCommitIntervalMs(config.augmentCommitMs());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientConfigs.reader(cluster,
                "bench-count"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.views().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long start = System.nanoTime();
            long first = 0;
            long seen = 0;
            long deadline = start + Duration.ofMinutes(5).toNanos();
            try (AugmentStage stage = AugmentStage.start(cluster, ac, config.stateDir())) {
                while (seen < expected && System.nanoTime() < deadline) {
                    int got = consumer.poll(Duration.ofMillis(100)).count();
                    if (got > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    seen += got;
                }
                long end = System.nanoTime();
                if (seen < expected) {
                    throw new IllegalStateException("augmentation stage produced " + seen + " of " + expected
                            + " views within 5 minutes (state " + stage.state() + ")");
                }
                double total = (end - start) / 1e9;
                double steady = (end - first) / 1e9;
                log.accept(String.format(Locale.ROOT, "(c) %d samples -> %d views in %.2f s (%.2f s after the first"
                        + " view)", n, seen, total, steady));
                return new double[] {n / total, steady <= 0 ? 0 : n / steady};
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
