package io.contrastream.trainer.bench;

import io.contrastream.data.Dataset;
import io.contrastream.data.DatasetCatalog;
import io.contrastream.data.DatasetMissingException;
import io.contrastream.data.Example;
import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.infra.KafkaClientConfigs;
import io.contrastream.infra.KafkaCluster;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.infra.TopicProvisioner;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import io.contrastream.trainer.InMemoryViewSource;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.TrainerListener;
import io.contrastream.trainer.TrainerProgress;
import io.contrastream.trainer.TrainerWorker;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the trainer loop fed from memory versus from Kafka, in one run, interleaved: the same model
 * (784-256-128 MLP, 128-128-64 projection head), loss (two-view InfoNCE, tau 0.2), batch 512 and Adam (lr 1e-3).
 * (a) {@link InMemoryViewSource} over pre-decoded views; (b) the same views pre-produced into the views topic of the
 * given cluster and consumed by a {@link TrainerWorker} (decode, validate, assemble, train; checkpoints only at the
 * end, outside the timed window). Optionally (c) the PyTorch baseline script as a subprocess, interleaved too.
 * Warm samples/s = samples of the steps after {@code warmupSteps}, over the time between the warm-up's last step and
 * the round's last step.
 */
public final class TrainerBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerBenchmark.class);
    private static final int BATCH = 512;
    private static final int VIEWS = 2;
    /** Round source of the baseline run with the BLAS thread variables unset. */
    static final String PYTHON_BLAS_DEFAULT = "python-blas-default-threads";

    private TrainerBenchmark() {
    }

    /**
     * @param rounds      interleaved rounds (each: memory, Kafka, Python)
     * @param warmupRounds untimed rounds (memory and Kafka) first, so class loading and the broker's cold paths are
     *                    not measured
     * @param steps       steps per round, including warm-up
     * @param warmupSteps steps not timed at the start of each round
     * @param dataDir     where fashion-mnist is looked for; synthetic 28x28 shapes when it is missing
     * @param python      the Python interpreter and baseline script, if the baseline should run
     * @param checkpointDir scratch directory for the final checkpoints of the Kafka rounds
     */
    public record Options(int rounds, int warmupRounds, int steps, int warmupSteps, Path dataDir,
                          Optional<PythonBaseline> python, Path checkpointDir) {
        public Options {
            checkRounds(rounds, warmupRounds, steps, warmupSteps);
        }
    }

    /** The round and step counts every trainer-loop benchmark takes; throws naming the bad value. */
    static void checkRounds(int rounds, int warmupRounds, int steps, int warmupSteps) {
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warmupRounds must be >= 0, got " + warmupRounds);
        }
        if (rounds < 1 || warmupSteps < 1 || steps <= warmupSteps + 1) {
            throw new IllegalArgumentException("need rounds >= 1 and steps > warmupSteps + 1 >= 2, got rounds "
                    + rounds + ", steps " + steps + ", warmup " + warmupSteps);
        }
    }

    /**
     * The PyTorch baseline: interpreter, script path and its thread count (same as DJL's intra-op threads). The count
     * goes to {@code torch.set_num_threads} and, since that does not bound an external BLAS (Debian's torch calls the
     * system OpenBLAS, which otherwise starts one thread per core), to {@code OPENBLAS_NUM_THREADS},
     * {@code OMP_NUM_THREADS} and {@code MKL_NUM_THREADS} of its process.
     */
    public record PythonBaseline(Path interpreter, Path script, int threads) {
    }

    /** Environment variables that bound a BLAS's or OpenMP's own thread pools. */
    static final List<String> BLAS_THREAD_VARIABLES = List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS");

    /** One timed round. */
    public record Round(String source, double samplesPerSecond) {
    }

    /**
     * Result of a benchmark run.
     *
     * @param dataset            data the views came from
     * @param rounds             every round in the order run
     * @param memorySamplesPerSecond mean warm samples/s fed from memory
     * @param kafkaSamplesPerSecond  mean warm samples/s fed from Kafka
     * @param pythonSamplesPerSecond mean samples/s of the PyTorch baseline with its threads bounded (see
     *                           {@link PythonBaseline}), if run
     * @param pythonBlas         BLAS the PyTorch build reports and the libblas the system resolves, if run, with
     *                           the process CPU / wall of the bounded and the BLAS-default runs
     * @param pythonBlasDefaultSamplesPerSecond mean samples/s of the same baseline with the BLAS thread variables
     *                           unset (the BLAS picks its own thread count), if run; reported, not the target
     * @param device             DJL device
     * @param cores              available processors
     */
    public record Result(String dataset, List<Round> rounds, double memorySamplesPerSecond,
                         double kafkaSamplesPerSecond, Optional<Double> pythonSamplesPerSecond,
                         Optional<String> pythonBlas, Optional<Double> pythonBlasDefaultSamplesPerSecond,
                         String device, int cores, int steps, int warmupSteps, String torchThreads) {
        public double kafkaOverMemory() {
            return kafkaSamplesPerSecond / memorySamplesPerSecond;
        }

        public Optional<Double> kafkaOverPython() {
            return pythonSamplesPerSecond.map(p -> kafkaSamplesPerSecond / p);
        }

        /** One JSON object. */
        public String toJson() {
            StringBuilder rs = new StringBuilder();
            for (Round r : rounds) {
                rs.append(rs.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"source\":\"%s\",\"samplesPerSecond\":%.1f}", r.source(), r.samplesPerSecond()));
            }
            return String.format(Locale.ROOT, "{\"benchmark\":\"trainer\",\"model\":\"mlp-784-256-128+head-128-64\","
                            + "\"loss\":\"infonce-2view tau 0.2\",\"optimizer\":\"adam lr 1e-3\",\"batch\":%d,"
                            + "\"views\":%d,\"dataset\":\"%s\",\"device\":\"%s\",\"cores\":%d,\"stepsPerRound\":%d,"
                            + "\"warmupSteps\":%d,\"djlTorchThreads\":\"%s\",\"memorySamplesPerSecond\":%.1f,\"kafkaSamplesPerSecond\":%.1f,"
                            + "\"kafkaOverMemory\":%.3f,\"pythonSamplesPerSecond\":%s,\"kafkaOverPython\":%s,"
                            + "\"pythonBlas\":%s,\"pythonBlasDefaultSamplesPerSecond\":%s,\"rounds\":[%s]}", BATCH, VIEWS,
                    dataset, device, cores, steps,
                    warmupSteps, torchThreads, memorySamplesPerSecond, kafkaSamplesPerSecond, kafkaOverMemory(),
                    pythonSamplesPerSecond.map(p -> String.format(Locale.ROOT, "%.1f", p)).orElse("null"),
                    kafkaOverPython().map(p -> String.format(Locale.ROOT, "%.3f", p)).orElse("null"),
                    pythonBlas.map(b -> "\"" + b.replace("\"", "'") + "\"").orElse("null"),
                    pythonBlasDefaultSamplesPerSecond.map(p -> String.format(Locale.ROOT, "%.1f", p)).orElse("null"),
                    rs);
        }
    }

    /** Runs the benchmark on {@code cluster} (the embedded broker for a local measurement). */
    public static Result run(KafkaCluster cluster, Options options) {
        Dataset dataset = open(options.dataDir());
        int samples = options.steps() * BATCH;
        LOG.info("benchmark: preparing {} samples x {} views from {}", samples, VIEWS, dataset.name());
        List<AugmentedView> views = views(dataset, samples);
        EventCodec<AugmentedView> codec = EventCodec.of(AugmentedView.class);
        List<byte[]> encoded = views.stream().map(codec::encode).toList();
        List<List<AugmentedView>> partitions = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int i = 0; i < views.size(); i += VIEWS) {
            int p = Math.floorMod(views.get(i).getSampleId().hashCode(), 4);
            partitions.get(p).addAll(views.subList(i, i + VIEWS));
        }
        List<Round> rounds = new ArrayList<>();
        Optional<String> blas = Optional.empty();
        String device = "?";
        for (int r = -options.warmupRounds(); r < options.rounds(); r++) {
            Timing memory = new Timing(options.warmupSteps());
            // each Kafka round gets fresh topics (a new run's consumer group and checkpoints), filled before timing
            TopicCatalog catalog = new TopicCatalog("bench" + UUID.randomUUID().toString().substring(0, 6), 4,
                    (short) 1);
            TopicProvisioner.provision(cluster, catalog.all());
            produce(cluster, catalog, views, encoded);
            TrainerWorker.fromSource(new InMemoryViewSource(catalog.views().name(), partitions, 2000), List.of(),
                    config(catalog, options, "mem" + r, options.steps()), memory).run();
            device = memory.device;
            if (r < 0) {
                TrainerWorker.create(cluster, config(catalog, options, "warm" + r, options.steps()),
                        TrainerListener.none()).run();
                LOG.info("warm-up round done");
                continue;
            }
            rounds.add(new Round("memory", memory.samplesPerSecond()));
            Timing kafka = new Timing(options.warmupSteps());
            TrainerWorker.create(cluster, config(catalog, options, "kafka" + r, options.steps()), kafka).run();
            rounds.add(new Round("kafka", kafka.samplesPerSecond()));
            if (options.python().isPresent()) {
                PythonRun python = python(options.python().get(), options.warmupSteps(), options.steps(), true);
                rounds.add(new Round("python", python.samplesPerSecond()));
                PythonRun blasDefault = python(options.python().get(), options.warmupSteps(), options.steps(),
                        false);
                rounds.add(new Round(PYTHON_BLAS_DEFAULT, blasDefault.samplesPerSecond()));
                blas = Optional.of(python.blas() + "; process CPU / wall in the timed loop " + python.cpuPerWall()
                        + " with " + BLAS_THREAD_VARIABLES + " = " + options.python().get().threads() + ", "
                        + blasDefault.cpuPerWall() + " with them unset");
            }
            LOG.info("round {}: {}", r, rounds.subList(rounds.size() - (options.python().isPresent() ? 4 : 2),
                    rounds.size()));
        }
        boolean python = options.python().isPresent();
        return new Result(dataset.name() + "/" + dataset.split(), rounds, mean(rounds, "memory"),
                mean(rounds, "kafka"), python ? Optional.of(mean(rounds, "python")) : Optional.empty(), blas,
                python ? Optional.of(mean(rounds, PYTHON_BLAS_DEFAULT)) : Optional.empty(), device,
                Runtime.getRuntime().availableProcessors(), options.steps(), options.warmupSteps(),
                System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
    }

    /**
     * Bounds (or, for the BLAS-default run, unsets) the thread-pool variables in a baseline process's environment:
     * {@code torch.set_num_threads} alone leaves an external BLAS at one thread per core.
     */
    static void pythonEnvironment(Map<String, String> environment, int threads, boolean bounded) {
        for (String variable : BLAS_THREAD_VARIABLES) {
            if (bounded) {
                environment.put(variable, Integer.toString(threads));
            } else {
                environment.remove(variable);
            }
        }
    }

    private static double mean(List<Round> rounds, String source) {
        return rounds.stream().filter(r -> r.source().equals(source)).mapToDouble(Round::samplesPerSecond)
                .average().orElse(Double.NaN);
    }

    private static TrainerConfig config(TopicCatalog catalog, Options options, String round, int steps) {
        return TrainerConfig.builder().setRunId("bench").optInstanceId(0).setCatalog(
                        new TopicCatalog(catalog.prefix(), catalog.partitions(), catalog.replicationFactor()))
                .setCheckpointDir(options.checkpointDir().resolve(catalog.prefix() + "-" + round))
                .setEncoder(EncoderSpec.mnistMlp()).setLoss(LossConfig.of("infonce", 0.2f))
                .setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(42).optBatchSize(BATCH).optViews(VIEWS)
                .optCheckpointEverySteps(Integer.MAX_VALUE).optMaxSteps(steps)
                .optIdleTimeout(Duration.ofSeconds(15)).build();
    }

    /** fashion-mnist train under {@code dataDir}, else synthetic 28x28 shapes (shared with HardNegativeBenchmark). */
    static Dataset open(Path dataDir) {
        try {
            return new DatasetCatalog(dataDir).open("fashion-mnist", "train");
        } catch (DatasetMissingException e) {
            LOG.warn("fashion-mnist not found under {} ({}); using synthetic 28x28 shapes", dataDir, e.getMessage());
            return new SyntheticShapes("train", 60_000, 1, 28, 28, 42);
        }
    }

    /** {@code samples} x two augmented views, pre-decoded (shared with HardNegativeBenchmark). */
    static List<AugmentedView> views(Dataset dataset, int samples) {
        AugmentationPipeline pipeline = AugmentationPipeline.of(AugmentationPresets.forDigits());
        List<AugmentedView> views = new ArrayList<>(samples * VIEWS);
        for (int i = 0; i < samples; i++) {
            Example example = dataset.get(i % dataset.size());
            String sampleId = example.sampleId() + (i >= dataset.size() ? "#" + i / dataset.size() : "");
            for (int v = 0; v < VIEWS; v++) {
                long seed = ViewSeeds.derive(42, sampleId, v, 0);
                Image image = pipeline.apply(example.image(), seed);
                views.add(AugmentedView.newBuilder().setRunId("bench").setSampleId(sampleId).setViewIndex(v)
                        .setViewCount(VIEWS).setEpoch(0).setLabel(example.label()).setTaskId(null)
                        .setDataset(dataset.name())
                        .setTensor(Tensor.newBuilder().setDtype(DType.FLOAT32)
                                .setShape(List.of(image.channels(), image.height(), image.width()))
                                .setData(ByteBuffer.wrap(image.toFloat32LE())).build())
                        .setRecipe(List.of()).setSeed(42).setViewSeed(seed).setProducedAt(Instant.now()).build());
            }
        }
        return views;
    }

    private static void produce(KafkaCluster cluster, TopicCatalog catalog, List<AugmentedView> views,
                                List<byte[]> encoded) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientConfigs.producer(cluster,
                "bench-producer"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < views.size(); i++) {
                String sampleId = views.get(i).getSampleId();
                producer.send(new ProducerRecord<>(catalog.views().name(), Math.floorMod(sampleId.hashCode(), 4),
                        sampleId, encoded.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Times steps through the listener: the samples of the steps after the first {@code warmup} over the time from
     * the end of step {@code warmup} to the end of the last step.
     */
    static class Timing implements TrainerListener {
        private final int warmup;
        private int seen;
        private long warmEnd;
        private long last;
        private long warmSamples;
        String device = "?";

        Timing(int warmup) {
            this.warmup = warmup;
        }

        /** Whether the steps trained so far include a timed one (past the warm-up). */
        final boolean timing() {
            return seen > warmup;
        }

        @Override
        public void onBatchTrained(long step, List<io.contrastream.trainer.ViewLocation> views) {
            long now = System.nanoTime();
            seen++;
            if (seen == warmup) {
                warmEnd = now;
            } else if (seen > warmup) {
                warmSamples += views.size() / VIEWS;
                last = now;
            }
        }

        @Override
        public void onStep(TrainerProgress progress) {
            device = progress.device();
        }

        double samplesPerSecond() {
            return warmSamples / ((last - warmEnd) / 1e9);
        }
    }

    private record PythonRun(double samplesPerSecond, String blas, String cpuPerWall) {
    }

    /**
     * One run of the baseline script.
     *
     * @param bounded whether {@link #BLAS_THREAD_VARIABLES} are set to the baseline's thread count (else unset)
     */
    private static PythonRun python(PythonBaseline baseline, int warmup, int steps, boolean bounded) {
        try {
            Path err = Files.createTempFile("infonce-baseline", ".err");
            ProcessBuilder builder = new ProcessBuilder(baseline.interpreter().toString(),
                    baseline.script().toString(), Integer.toString(warmup), Integer.toString(steps - warmup),
                    Integer.toString(baseline.threads())).redirectError(err.toFile());
            pythonEnvironment(builder.environment(), baseline.threads(), bounded);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("python baseline failed (" + baseline + "): "
                        + Files.readString(err));
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            Matcher rate = Pattern.compile("\"samplesPerSecond\":\\s*([0-9.]+)").matcher(out);
            if (!rate.find()) {
                throw new IllegalStateException("python baseline printed no samplesPerSecond: " + out);
            }
            Matcher blasInfo = Pattern.compile("BLAS_INFO=([^,\\s]+)").matcher(stderr);
            String blas = "torch BLAS_INFO=" + (blasInfo.find() ? blasInfo.group(1) : "?");
            Path libblas = Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3");
            if (Files.exists(libblas)) {
                blas += ", libblas.so.3 -> " + libblas.toRealPath();
            }
            // how many cores the process really used in the timed loop
            Matcher cpu = Pattern.compile("\"cpuPerWall\":\\s*([0-9.]+)").matcher(out);
            return new PythonRun(Double.parseDouble(rate.group(1)), blas, cpu.find() ? cpu.group(1) : "?");
        } catch (IOException e) {
            throw new UncheckedIOException("could not run the python baseline " + baseline, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the python baseline", e);
        }
    }
}
