package io.contrastream.producers;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetFormatException;
import io.contrastream.data.Example;
import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.AugmentationSpec;
import io.contrastream.data.schedule.ClassIndex;
import io.contrastream.data.schedule.Task;
import io.contrastream.data.schedule.TaskSchedule;
import io.contrastream.data.schedule.TaskStream;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.producers.internal.TokenBucket;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.codec.EventCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams augmented views of a dataset to the views topic, following a class-incremental {@link TaskSchedule}.
 *
 * <p>For each task: instance 0 publishes {@link TaskPhase#START} on the control topic (key run id;
 * {@code sampleCount} = the task's samples per epoch over all instances); every instance streams, for each epoch,
 * {@code V} views of each of its samples ({@link TaskStream}, instance {@code i} of {@code n}), key = sample id,
 * value = {@link AugmentedView}; then flushes; then instance 0 publishes {@link TaskPhase#END} with the same count
 * (the samples sent per epoch over all instances, assuming every instance completes; each instance reports its own
 * count in its {@link ProduceSummary}).
 *
 * <p>Views are made by {@link ViewFactory} on a pool of {@code workers} threads, in chunks of samples, and sent by
 * the calling thread in draw order, so the views of a sample are consecutive and the send order is deterministic.
 * Making the chunks ahead overlaps with sending the earlier ones; when the next chunk to send is not ready, the
 * calling thread makes chunks itself (that one, or later ones no worker has started) rather than wait.
 * A sample is validated (label in the task, image shape equal to the dataset's, values in [0, 1] unless the dataset
 * guarantees that, {@link Dataset#imagesInUnitRange()}) before any of its
 * views is made, so it gets all V views or none; an invalid sample stops the run with a
 * {@link DatasetFormatException} naming the dataset and index. {@link #stop()} (e.g. from a Ctrl-C hook) stops
 * sending, flushes what was sent and makes {@code run} return {@link ProduceSummary.Outcome#STOPPED}.
 */
public final class ViewProducer {

    private static final Logger LOG = LoggerFactory.getLogger(ViewProducer.class);
    private static final int CHUNK_SAMPLES = 16;
    private static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

    private final ViewProducerConfig config;
    private final ViewFactory factory;
    private final EventCodec<TaskEvent> taskCodec = EventCodec.of(TaskEvent.class);
    private volatile boolean stopping;

    /** A producer for {@code config}. */
    public ViewProducer(ViewProducerConfig config) {
        this.config = config;
        this.factory = new ViewFactory(config.runId(), AugmentationPipeline.of(config.augmentation()), config.seed(),
                config.includeOriginal());
    }

    /** A builder; {@link Builder#setDataset} and {@link Builder#setRunId} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a schedule: {@code joint} (one task of all classes), {@code TxC} (T tasks of C consecutive classes,
     * e.g. {@code 5x2}; T * C must equal {@code numClasses}), {@code shuffled:TxC} (the same with a class order
     * shuffled by {@code seed}), or an explicit split such as {@code 0,1;2,3} ({@link TaskSchedule#parse}).
     *
     * @throws IllegalArgumentException naming the spec and what was expected
     */
    public static TaskSchedule parseSchedule(String spec, int numClasses, long seed) {
        String s = spec == null ? "" : spec.strip();
        if (s.equals("joint")) {
            return TaskSchedule.joint(numClasses);
        }
        boolean shuffled = s.startsWith("shuffled:");
        String grid = shuffled ? s.substring("shuffled:".length()) : s;
        if (grid.matches("\\d+x\\d+")) {
            int tasks = Integer.parseInt(grid.substring(0, grid.indexOf('x')));
            int perTask = Integer.parseInt(grid.substring(grid.indexOf('x') + 1));
            if (tasks * perTask != numClasses) {
                throw new IllegalArgumentException("Schedule '" + spec + "' has " + tasks + " x " + perTask + " = "
                        + tasks * perTask + " classes but the dataset has " + numClasses + "; e.g. use "
                        + numClasses + "x1, joint or an explicit split like 0,1;2,3");
            }
            return shuffled ? TaskSchedule.shuffled(numClasses, tasks, seed) : TaskSchedule.split(numClasses, tasks);
        }
        return TaskSchedule.parse(s, numClasses);
    }

    /** The configuration. */
    public ViewProducerConfig config() {
        return config;
    }

    /** The view factory (its recipe and seed), e.g. to recreate views in tests. */
    public ViewFactory factory() {
        return factory;
    }

    /** Asks a running {@code run} to stop after the sample being sent (all of its V views); safe from any thread. */
    public void stop() {
        stopping = true;
    }

    /**
     * Runs on {@code cluster} with an idempotent producer ({@link KafkaClientConfigs#producer}) on the views and
     * control topics of {@code topics}; the topics must exist.
     */
    public ProduceSummary run(KafkaCluster cluster, TopicCatalog topics, ProgressListener listener) {
        String clientId = "view-producer-" + config.runId() + "-" + config.instance();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster, clientId),
                new StringSerializer(), new ByteArraySerializer())) {
            return run(producer, topics.views().name(), topics.control().name(), listener);
        }
    }

    /** Runs with a given producer (not closed here); values are single-object encoded events. */
    public ProduceSummary run(Producer<String, byte[]> producer, String viewsTopic, String controlTopic,
                             ProgressListener listener) {
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        Dataset dataset = config.dataset();
        TaskSchedule schedule = config.schedule();
        ClassIndex index = ClassIndex.of(dataset);
        List<Plan> plans = new ArrayList<>();
        long planned = 0;
        for (Task task : schedule.tasks()) {
            Plan plan = plan(index, task);
            plans.add(plan);
            planned += (long) plan.mine * config.epochs() * config.viewCount();
        }
        AtomicReference<Exception> sendError = new AtomicReference<>();
        TokenBucket bucket = new TokenBucket(config.rateLimit());
        ExecutorService pool = Executors.newFixedThreadPool(config.workers(), daemonThreads());
        long start = System.nanoTime();
        long lastProgress = start;
        long viewsSent = 0;
        long samplesSent = 0;
        int tasksCompleted = 0;
        try {
            for (Plan plan : plans) {
                Task task = plan.task;
                if (stopping) {
                    break;
                }
                if (config.instance() == 0) {
                    send(producer, controlTopic, config.runId(), taskCodec.encode(taskEvent(task, TaskPhase.START,
                            plan.total)), sendError);
                }
                LOG.info("Task {}/{} classes {}: {} samples per epoch here ({} over all instances), {} epochs, {} views",
                        task.id(), schedule.size(), task.classes(), plan.mine, plan.total, config.epochs(),
                        config.viewCount());
                ArrayDeque<FutureTask<Chunk>> window = new ArrayDeque<>();
                // the sending thread counts as one more maker (see await), and the workers must not run out of queued
                // chunks while it makes one
                int maxWindow = (config.workers() + 1) * 4;
                List<TaskStream.Draw> pending = new ArrayList<>(CHUNK_SAMPLES);
                TaskStream stream = new TaskStream(index, task, config.epochs(), config.instance(),
                        config.instances(), config.seed());
                int epoch = 0;
                for (TaskStream.Draw draw : stream) {
                    if (stopping) {
                        break;
                    }
                    if (plan.allowed != null && Arrays.binarySearch(plan.allowed, draw.sampleIndex()) < 0) {
                        continue;
                    }
                    if (!pending.isEmpty() && pending.get(0).epoch() != draw.epoch()) {
                        window.add(submit(pool, task, pending));
                        pending = new ArrayList<>(CHUNK_SAMPLES);
                    }
                    pending.add(draw);
                    if (pending.size() == CHUNK_SAMPLES) {
                        window.add(submit(pool, task, pending));
                        pending = new ArrayList<>(CHUNK_SAMPLES);
                    }
                    while (window.size() >= maxWindow && !stopping) {
                        Chunk chunk = await(window);
                        long views = sendChunk(producer, viewsTopic, chunk, bucket, sendError);
                        viewsSent += views;
                        samplesSent += views / config.viewCount();
                        epoch = chunk.epoch;
                        if (!stopping) {
                            chunk.rethrow();
                        }
                        long now = System.nanoTime();
                        if (now - lastProgress >= PROGRESS_INTERVAL_NANOS) {
                            lastProgress = now;
                            progress.onProgress(progress(task, epoch, viewsSent, planned, start, now));
                        }
                    }
                }
                if (!pending.isEmpty() && !stopping) {
                    window.add(submit(pool, task, pending));
                }
                while (!window.isEmpty() && !stopping) {
                    Chunk chunk = await(window);
                    long views = sendChunk(producer, viewsTopic, chunk, bucket, sendError);
                    viewsSent += views;
                    samplesSent += views / config.viewCount();
                    epoch = chunk.epoch;
                    if (!stopping) {
                        chunk.rethrow();
                    }
                }
                window.forEach(f -> f.cancel(true));
                producer.flush();
                checkSendError(sendError);
                if (stopping) {
                    break;
                }
                if (config.instance() == 0) {
                    send(producer, controlTopic, config.runId(), taskCodec.encode(taskEvent(task, TaskPhase.END,
                            plan.total)), sendError);
                    producer.flush();
                    checkSendError(sendError);
                }
                tasksCompleted++;
                progress.onProgress(progress(task, epoch, viewsSent, planned, start, System.nanoTime()));
            }
        } finally {
            pool.shutdownNow();
        }
        producer.flush();
        checkSendError(sendError);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        ProduceSummary.Outcome outcome = stopping ? ProduceSummary.Outcome.STOPPED : ProduceSummary.Outcome.COMPLETED;
        LOG.info("Run {} {}: {} views of {} samples in {} ms", config.runId(), outcome, viewsSent, samplesSent,
                elapsed.toMillis());
        return new ProduceSummary(config.runId(), outcome, samplesSent, viewsSent, tasksCompleted, elapsed);
    }

    private ProgressListener.Progress progress(Task task, int epoch, long sent, long planned, long start, long now) {
        double seconds = (now - start) / 1e9;
        return new ProgressListener.Progress(task.id(), config.schedule().size(), epoch, sent, planned,
                seconds <= 0 ? 0 : sent / seconds);
    }

    /** The samples of a task: all, or the first {@code limitPerTask} by index; and how many are this instance's. */
    private record Plan(Task task, int[] allowed, int total, int mine) {
    }

    private Plan plan(ClassIndex index, Task task) {
        int[] all = index.indices(task);
        int[] allowed = null;
        if (config.limitPerTask() > 0 && config.limitPerTask() < all.length) {
            allowed = Arrays.copyOf(all, config.limitPerTask());
        }
        int[] set = allowed == null ? all : allowed;
        int mine = 0;
        for (int i : set) {
            if (i % config.instances() == config.instance()) {
                mine++;
            }
        }
        return new Plan(task, allowed, set.length, mine);
    }

    private TaskEvent taskEvent(Task task, TaskPhase phase, long sampleCount) {
        return TaskEvent.newBuilder()
                .setRunId(config.runId()).setTaskId(task.id()).setTaskCount(config.schedule().size())
                .setClasses(List.copyOf(task.classes())).setPhase(phase).setEpochs(config.epochs())
                .setSampleCount(sampleCount).setViewCount(config.viewCount()).setTimestamp(Instant.now())
                .build();
    }

    /** Views of consecutive draws (one epoch), encoded; {@code failure} is the invalid sample that ended it early. */
    private record Chunk(int epoch, String[] keys, byte[][] values, int count,
                         RuntimeException failure) {
        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    private FutureTask<Chunk> submit(ExecutorService pool, Task task, List<TaskStream.Draw> draws) {
        FutureTask<Chunk> chunk = new FutureTask<>(() -> makeChunk(task, draws));
        pool.execute(chunk);
        return chunk;
    }

    private Chunk makeChunk(Task task, List<TaskStream.Draw> draws) {
        int v = config.viewCount();
        String[] keys = new String[draws.size() * v];
        byte[][] values = new byte[draws.size() * v][];
        int n = 0;
        Dataset dataset = config.dataset();
        for (TaskStream.Draw draw : draws) {
            Example ex;
            try {
                ex = validated(dataset, task, draw.sampleIndex());
            } catch (RuntimeException e) {
                return new Chunk(draw.epoch(), keys, values, n, e);
            }
            for (int i = 0; i < v; i++) {
                keys[n] = ex.sampleId();
                values[n] = factory.encodedView(dataset.name(), ex.sampleId(), ex.label(), task.id(), ex.image(), i,
                        v, draw.epoch());
                n++;
            }
        }
        return new Chunk(draws.get(0).epoch(), keys, values, n, null);
    }

    private static Example validated(Dataset dataset, Task task, int index) {
        String where = dataset.name() + "/" + dataset.split();
        Example ex;
        try {
            ex = dataset.get(index);
        } catch (DatasetFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DatasetFormatException(where, index, "cannot read the sample: " + e.getMessage(), e);
        }
        if (!task.contains(ex.label())) {
            throw new DatasetFormatException(where, index, "label " + ex.label() + " is not in task " + task.id()
                    + " classes " + task.classes() + "; the dataset's labels disagree with its class index");
        }
        Image img = ex.image();
        if (img.channels() != dataset.channels() || img.height() != dataset.height() || img.width() != dataset.width()) {
            throw new DatasetFormatException(where, index, "image is " + img.channels() + "x" + img.height() + "x"
                    + img.width() + " but the dataset's images are " + dataset.channels() + "x" + dataset.height()
                    + "x" + dataset.width());
        }
        if (!dataset.imagesInUnitRange()) {
            try {
                img.checkRange();
            } catch (IllegalArgumentException e) {
                throw new DatasetFormatException(where, index, e.getMessage(), e);
            }
        }
        return ex;
    }

    /**
     * Takes the oldest chunk of {@code window}, making a chunk on this thread when it is not ready: the oldest itself
     * when no worker has started it yet, else the next one not yet started (a worker skips a chunk that is already
     * done); then waits. So the sending thread augments instead of only waiting, and the views are still sent in
     * draw order.
     */
    private Chunk await(ArrayDeque<FutureTask<Chunk>> window) {
        FutureTask<Chunk> future = window.poll();
        if (!future.isDone()) {
            future.run();
            for (FutureTask<Chunk> next : window) {
                if (future.isDone() || stopping) {
                    break;
                }
                if (!next.isDone()) {
                    next.run();
                    break;
                }
            }
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            throw new IllegalStateException("interrupted while making views", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("making views failed: " + cause, cause);
        }
    }

    /** Sends a chunk sample by sample (all V views of each), stopping between samples once stop() was called. */
    private long sendChunk(Producer<String, byte[]> producer, String topic, Chunk chunk, TokenBucket bucket,
                           AtomicReference<Exception> sendError) {
        int v = config.viewCount();
        int sent = 0;
        while (sent < chunk.count && !stopping) {
            for (int i = sent; i < sent + v; i++) {
                bucket.acquire();
                send(producer, topic, chunk.keys[i], chunk.values[i], sendError);
            }
            sent += v;
        }
        checkSendError(sendError);
        return sent;
    }

    private static void send(Producer<String, byte[]> producer, String topic, String key, byte[] value,
                             AtomicReference<Exception> sendError) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                sendError.compareAndSet(null, e);
            }
        });
    }

    private static void checkSendError(AtomicReference<Exception> sendError) {
        Exception e = sendError.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "view-augment-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One fewer augmentation thread than processors, at least one. */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Builds a {@link ViewProducer}: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private String runId;
        private Dataset dataset;
        private TaskSchedule schedule;
        private int epochs = 1;
        private int viewCount = 2;
        private List<AugmentationSpec> augmentation;
        private long seed = 0;
        private double rateLimit = 0;
        private int instance = 0;
        private int instances = 1;
        private int limitPerTask = 0;
        private int workers = defaultWorkers();
        private boolean includeOriginal;

        private Builder() {
        }

        /** Required: the run id. */
        public Builder setRunId(String runId) {
            this.runId = runId;
            return this;
        }

        /** Required: the dataset split to stream. */
        public Builder setDataset(Dataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Schedule; default: classes in order cut into 5 tasks (or one per class when fewer than 5). */
        public Builder optSchedule(TaskSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Epochs per task; default 1. */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** V views per sample; default 2. */
        public Builder optViewCount(int viewCount) {
            this.viewCount = viewCount;
            return this;
        }

        /** Augmentation recipe; default {@link AugmentationPresets#forDigits()} for one channel, else natural. */
        public Builder optAugmentation(List<AugmentationSpec> augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Seed; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Views per second; default 0 = unlimited. */
        public Builder optRateLimit(double viewsPerSecond) {
            this.rateLimit = viewsPerSecond;
            return this;
        }

        /** Instance {@code i} of {@code n}; default 0 of 1. */
        public Builder optInstance(int instance, int instances) {
            this.instance = instance;
            this.instances = instances;
            return this;
        }

        /** Samples per task per epoch (over all instances), 0 = all; default 0. */
        public Builder optLimitPerTask(int limit) {
            this.limitPerTask = limit;
            return this;
        }

        /**
         * Augmentation threads; default {@link #defaultWorkers()}: one fewer than the processors (at least one), so
         * the sending thread and the Kafka client's I/O thread keep a core (the sending thread also makes views
         * whenever the next chunk is not ready).
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Send the un-augmented sample with view 0 (for trainers with a replay buffer); default off. */
        public Builder optIncludeOriginal(boolean includeOriginal) {
            this.includeOriginal = includeOriginal;
            return this;
        }

        /** Validates and builds. */
        public ViewProducer build() {
            List<AugmentationSpec> recipe = augmentation;
            if (recipe == null && dataset != null) {
                recipe = dataset.channels() == 1 ? AugmentationPresets.forDigits() : AugmentationPresets.forNaturalImages();
            }
            return new ViewProducer(new ViewProducerConfig(runId, dataset, schedule, epochs, viewCount, recipe, seed,
                    rateLimit, instance, instances, limitPerTask, workers, includeOriginal));
        }
    }
}
