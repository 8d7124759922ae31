package io.contrastream.eval.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.contrastream.data.DatasetMissingException;
import io.contrastream.eval.EvaluatorConfig;
import io.contrastream.eval.internal.CheckpointEvaluator;
import io.contrastream.eval.internal.EvaluationData;
import io.contrastream.eval.metrics.MetricSuite;
import io.contrastream.eval.metrics.MetricValue;
import io.contrastream.eval.metrics.SuiteRunner;
import io.contrastream.model.EncoderSpec;
import io.contrastream.model.StoredCheckpoint;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Is evaluation cheap enough to keep up with training? Measures, in one process and one run, (a) the trainer's wall
 * time for one checkpoint interval (supplied by an {@link IntervalTrainer}, so this module does not depend on the
 * trainer) and (b) the evaluator's wall time per checkpoint (verify + load + embed test and train subset + suite)
 * for the fast suite as shipped (its seeded query sample, {@link MetricSuite#fast()}), the fast suite with every
 * test sample a query ({@code fast[all]}) and the full suite on the whole test split, and reports the ratios b/a.
 * It also prints each sampled fast value next to the all-query value of the same checkpoint, with their difference
 * and the sampled value's standard error (from its per-query values, see {@link MetricSuite}). Data loading happens
 * once per evaluator process and is reported separately, not per checkpoint.
 */
public final class EvalBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(EvalBenchmark.class);

    /** Target of the fast suite: evaluation per checkpoint at most half a checkpoint interval of training. */
    public static final double FAST_TARGET_RATIO = 0.5;

    /** Trains one checkpoint interval and writes its checkpoint. */
    @FunctionalInterface
    public interface IntervalTrainer {
        /**
         * Trains {@code steps} steps and saves a checkpoint.
         *
         * @return the checkpoint and the timed training wall time (batch preparation excluded)
         */
        Trained trainInterval(int steps);
    }

    /**
     * One trained interval.
     *
     * @param checkpoint the saved parameters
     * @param spec       their encoder spec
     * @param wallTime   time of the training steps plus checkpoint write
     * @param lastLoss   loss of the last step
     */
    public record Trained(StoredCheckpoint checkpoint, EncoderSpec spec, Duration wallTime, double lastLoss) {
    }

    /**
     * Benchmark parameters.
     *
     * @param dataset          dataset (fashion-mnist; synthetic when absent)
     * @param dataDir          data directory
     * @param intervalSteps    trainer steps per checkpoint
     * @param trainBatch       trainer batch size (documentation; the trainer applies it)
     * @param trainSubset      evaluator train subset (kNN memory / probe set)
     * @param robustnessSubset test images attacked in the full suite
     * @param epsilons         attack radii for the full suite
     * @param embedBatch       evaluator embedding batch size
     * @param runFull          also time the full suite
     * @param reducedSamples   also time the fast suite on this many test and train images (0 = skip), to show
     *                         what a smaller held-out set buys (pairwise metrics scale with its square)
     * @param suiteThreads     metric families evaluated in parallel
     * @param rounds           alternating rounds of (train one interval, evaluate its checkpoint with each suite);
     *                         medians are reported, so a neighbour's load burst skews one sample, not the ratio
     */
    public record Config(String dataset, Path dataDir, int intervalSteps, int trainBatch, int trainSubset,
                         int robustnessSubset, List<Double> epsilons, int embedBatch, boolean runFull,
                         int reducedSamples, int suiteThreads, int rounds) {
        /** Validates and copies. */
        public Config {
            epsilons = List.copyOf(epsilons);
            if (reducedSamples != 0 && reducedSamples < 2) {
                throw new IllegalArgumentException("EvalBenchmark.Config.reducedSamples " + reducedSamples
                        + " must be 0 (skip) or >= 2");
            }
            if (suiteThreads < 1 || rounds < 1 || intervalSteps < 1 || trainBatch < 1 || trainSubset < 1
                    || robustnessSubset < 1 || embedBatch < 1) {
                throw new IllegalArgumentException("EvalBenchmark.Config: suiteThreads " + suiteThreads + ", rounds "
                        + rounds + ", intervalSteps "
                        + intervalSteps
                        + ", trainBatch " + trainBatch + ", trainSubset " + trainSubset + ", robustnessSubset "
                        + robustnessSubset + ", embedBatch " + embedBatch + " must all be >= 1");
            }
        }

        /** 200 steps of batch 256 on Fashion-MNIST, 10,000 train subset, 500 robustness images, eps {0, 2, 8}/255. */
        public static Config defaults(Path dataDir) {
            return new Config("fashion-mnist", dataDir, 200, 256, EvaluatorConfig.DEFAULT_TRAIN_SUBSET,
                    EvaluatorConfig.DEFAULT_ROBUSTNESS_SUBSET, List.of(0.0, 2 / 255.0, 8 / 255.0),
                    EvaluatorConfig.DEFAULT_BATCH_SIZE, true, 2_000, Runtime.getRuntime().availableProcessors(), 3);
        }
    }

    /**
     * One suite's timing.
     *
     * @param suite          suite name
     * @param seconds        median wall time per checkpoint over the rounds
     * @param ratio          seconds / median trainer interval seconds
     * @param samples        wall time of each round
     * @param stageSeconds   when each stage finished, seconds since the checkpoint's start (last round; families
     *                       run in parallel, so these are completion times, not durations)
     * @param keyMetrics     recall@1, auc (pooled), knn-accuracy (and linear-probe-accuracy for full)
     * @param metricCount    values published
     */
    public record SuiteTiming(String suite, double seconds, double ratio, List<Double> samples,
                              Map<String, Double> stageSeconds,
                              Map<String, Double> keyMetrics, int metricCount) {
    }

    /**
     * One fast-suite value estimated on the query sample next to the all-query value of the same checkpoint.
     *
     * @param metric        metric name (auc is the pooled AUC)
     * @param sampled       value of the fast suite (query sample)
     * @param all           value of the fast suite with every query
     * @param difference    sampled - all
     * @param standardError standard error of the sampled value; NaN for the pooled AUC (its pairs are not
     *                      independent per query)
     */
    public record Comparison(String metric, double sampled, double all, double difference, double standardError) {
    }

    /**
     * Result.
     *
     * @param dataset                dataset actually used
     * @param note                   e.g. the synthetic fallback
     * @param testSamples            test images per checkpoint
     * @param trainSubset            train subset size
     * @param robustnessSubset       robustness images (full suite)
     * @param intervalSteps          trainer steps per checkpoint
     * @param trainBatch             trainer batch size
     * @param rounds                 alternating rounds measured
     * @param trainerIntervalSeconds (a), median over the rounds
     * @param trainerSamples         (a) of each round
     * @param trainerLastLoss        loss at the end of the interval
     * @param dataLoadSeconds        one-time evaluation data load
     * @param fast                   (b) fast suite as shipped (seeded query sample)
     * @param fastAll                (b) fast suite with every test sample a query
     * @param fastQueries            queries of the fast suite's sample ({@link MetricSuite#ALL_QUERIES}: every one)
     * @param comparison             the fast suite's values next to fast[all]'s (last round's checkpoint)
     * @param full                   (b) full suite, absent when not run
     * @param fastReduced            (b) fast suite on {@link Config#reducedSamples()} test and train images
     * @param fastTargetMet          fast ratio &lt;= {@link #FAST_TARGET_RATIO}
     * @param suiteThreads           metric families computed in parallel by the evaluator
 * @param cores                  available processors
     * @param javaVersion            JVM version
     * @param measuredAt             when
     */
    public record Result(String dataset, String note, int testSamples, int trainSubset, int robustnessSubset,
                         int intervalSteps, int trainBatch, int rounds, double trainerIntervalSeconds,
                         List<Double> trainerSamples, double trainerLastLoss,
                         double dataLoadSeconds, SuiteTiming fast, SuiteTiming fastAll, int fastQueries,
                         List<Comparison> comparison, Optional<SuiteTiming> full,
                         Optional<SuiteTiming> fastReduced, boolean fastTargetMet,
                         int suiteThreads, String torchThreads, int cores, String javaVersion,
                         String measuredAt) {
    }

    private EvalBenchmark() {
    }

    /** Runs the benchmark: trains one interval, then evaluates its checkpoint with each suite. */
    public static Result run(Config config, IntervalTrainer trainer) {
        String dataset = config.dataset();
        String note = "";
        long t0 = System.nanoTime();
        EvaluatorConfig fastConfig;
        EvaluationData data;
        try {
            fastConfig = evaluatorConfig(config, dataset, MetricSuite.fast());
            data = EvaluationData.load(fastConfig);
        } catch (DatasetMissingException e) {
            note = dataset + " not found under " + config.dataDir() + " (" + e.getMessage()
                    + "); fell back to the synthetic dataset";
            LOG.warn("{}", note);
            dataset = "synthetic";
            fastConfig = evaluatorConfig(config, dataset, MetricSuite.fast());
            data = EvaluationData.load(fastConfig);
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("eval benchmark: {} test / {} train images of {} loaded in {} s", data.testLabels().length,
                data.trainLabels().length, dataset, String.format(Locale.ROOT, "%.2f", loadSeconds));

        EvaluatorConfig fastAllConfig = evaluatorConfig(config, dataset,
                MetricSuite.fast().withQueries(MetricSuite.ALL_QUERIES));
        EvaluatorConfig fullConfig = evaluatorConfig(config, dataset, MetricSuite.full());
        EvaluatorConfig reducedConfig = null;
        EvaluationData reducedData = null;
        if (config.reducedSamples() > 0) {
            reducedConfig = EvaluatorConfig.builder().setSuite(MetricSuite.fast()).setDataset(dataset)
                    .optDataDir(config.dataDir()).optTrainSubsetSize(config.reducedSamples())
                    .optMaxTestSamples(config.reducedSamples()).optBatchSize(config.embedBatch())
                    .optSuiteThreads(config.suiteThreads()).build();
            reducedData = EvaluationData.load(reducedConfig);
        }
        List<Run> reducedRuns = new ArrayList<>();
        List<Double> trainSamples = new ArrayList<>();
        List<Run> fastRuns = new ArrayList<>();
        List<Run> fastAllRuns = new ArrayList<>();
        List<Run> fullRuns = new ArrayList<>();
        double lastLoss = Double.NaN;
        for (int round = 0; round < config.rounds(); round++) {
            Trained trained = trainer.trainInterval(config.intervalSteps());
            trainSamples.add(trained.wallTime().toNanos() / 1e9);
            lastLoss = trained.lastLoss();
            LOG.info("eval benchmark round {}: trainer interval of {} steps took {} s (loss {})", round,
                    config.intervalSteps(), String.format(Locale.ROOT, "%.2f", trainSamples.get(round)), lastLoss);
            CheckpointEvent event = event(trained);
            fastRuns.add(time(fastConfig, data, event));
            fastAllRuns.add(time(fastAllConfig, data, event));
            if (config.runFull()) {
                fullRuns.add(time(fullConfig, data, event));
            }
            if (reducedConfig != null) {
                reducedRuns.add(time(reducedConfig, reducedData, event));
            }
        }
        double trainSeconds = median(trainSamples);
        int fastQueries = fastConfig.suite().samplesQueries(data.testLabels().length) ? fastConfig.suite().queries()
                : MetricSuite.ALL_QUERIES;
        SuiteTiming fast = timing(fastQueries == MetricSuite.ALL_QUERIES ? "fast" : "fast (" + fastQueries
                + " queries)", fastRuns, trainSeconds);
        SuiteTiming fastAll = timing("fast[all]", fastAllRuns, trainSeconds);
        List<Comparison> comparison = compare(fastRuns.get(fastRuns.size() - 1),
                fastAllRuns.get(fastAllRuns.size() - 1));
        Optional<SuiteTiming> full = fullRuns.isEmpty() ? Optional.empty()
                : Optional.of(timing("full", fullRuns, trainSeconds));
        Optional<SuiteTiming> reduced = reducedRuns.isEmpty() ? Optional.empty()
                : Optional.of(timing("fast@" + config.reducedSamples(), reducedRuns, trainSeconds));
        return new Result(dataset, note, data.testLabels().length, data.trainLabels().length, data.robustCount(),
                config.intervalSteps(), config.trainBatch(), config.rounds(), trainSeconds,
                List.copyOf(trainSamples), lastLoss, loadSeconds, fast, fastAll, fastQueries, comparison, full,
                reduced,
                fast.ratio() <= FAST_TARGET_RATIO,
                fastConfig.suiteThreads(), System.getProperty("ai.djl.pytorch.num_threads", "engine default"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Instant.now().toString());
    }

    /** One timed evaluation; {@code values} holds the shared pass's values by name, {@code errors} their errors. */
    private record Run(double seconds, Map<String, Double> stages, Map<String, Double> keyMetrics, int count,
                       Map<String, Double> values, Map<String, Double> errors) {
    }

    /** The scan families' values of {@code sampled} next to those of {@code all}, in {@code all}'s order. */
    static List<Comparison> compare(Run sampled, Run all) {
        List<Comparison> out = new ArrayList<>();
        all.values().forEach((metric, exact) -> {
            Double estimate = sampled.values().get(metric);
            if (estimate != null) {
                out.add(new Comparison(metric, estimate, exact, estimate - exact,
                        sampled.errors().getOrDefault(metric, Double.NaN)));
            }
        });
        return out;
    }

    private static final java.util.Set<String> SCAN_METRICS = java.util.Set.of("recall@1", "recall@5", "recall@10",
            "mrr@10", "map@r", "auc", "auc-per-query", "knn-accuracy");

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static SuiteTiming timing(String suite, List<Run> runs, double trainSeconds) {
        List<Double> samples = runs.stream().map(Run::seconds).toList();
        double seconds = median(samples);
        Run last = runs.get(runs.size() - 1);
        return new SuiteTiming(suite, seconds, seconds / trainSeconds, samples, last.stages(), last.keyMetrics(),
                last.count());
    }

    private static EvaluatorConfig evaluatorConfig(Config config, String dataset, MetricSuite suite) {
        return EvaluatorConfig.builder().setSuite(suite).setDataset(dataset).optDataDir(config.dataDir())
                .optTrainSubsetSize(config.trainSubset()).optRobustnessSubsetSize(config.robustnessSubset())
                .optRobustnessEpsilons(config.epsilons()).optBatchSize(config.embedBatch())
                .optSuiteThreads(config.suiteThreads()).build();
    }

    private static Run time(EvaluatorConfig config, EvaluationData data, CheckpointEvent event) {
        Map<String, Double> stages = new LinkedHashMap<>();
        long start = System.nanoTime();
        CheckpointEvaluator evaluator = new CheckpointEvaluator(data, config.effectiveSuite(), config.batchSize(),
                config.suiteThreads(), (run, task) -> Optional.empty());
        Map<String, Double> errors = new LinkedHashMap<>();
        CheckpointEvaluator.Evaluation evaluation = evaluator.evaluate(event, new SuiteRunner.ProgressListener() {
            @Override
            public void onProgress(String stage, int done, int total) {
                synchronized (stages) {
                    stages.put("start".equals(stage) ? "verify+load+embed" : stage,
                            (System.nanoTime() - start) / 1e9);
                }
            }

            @Override
            public void onStandardErrors(Map<String, Double> standardErrors) {
                synchronized (stages) {
                    errors.putAll(standardErrors);
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!(evaluation instanceof CheckpointEvaluator.Evaluation.Done done)) {
            throw new IllegalStateException("benchmark checkpoint was refused: "
                    + ((CheckpointEvaluator.Evaluation.Refused) evaluation).failure().describe());
        }
        Map<String, Double> key = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (MetricValue v : done.metrics()) {
            if (SCAN_METRICS.contains(v.name()) && (!v.name().equals("auc")
                    || "pooled".equals(v.labels().get("mode")))) {
                values.put(v.name(), v.value());
            }
            if ((v.name().equals("recall@1") || v.name().equals("knn-accuracy")
                    || v.name().equals("linear-probe-accuracy")
                    || (v.name().equals("auc") && "pooled".equals(v.labels().get("mode"))))) {
                key.put(v.name(), v.value());
            }
        }
        LOG.info("eval benchmark: suite {} took {} s per checkpoint, stages finished at {}", config.suite().name(),
                String.format(Locale.ROOT, "%.2f", seconds), stages);
        synchronized (stages) {
            return new Run(seconds, stages, key, done.metrics().size(), values, Map.copyOf(errors));
        }
    }

    private static CheckpointEvent event(Trained trained) {
        StoredCheckpoint c = trained.checkpoint();
        return CheckpointEvent.newBuilder().setRunId("eval-bench").setStep(0).setTaskId(0).setTaskEnd(false)
                .setParameterUri(c.uri().toString()).setSha256(c.sha256Hex()).setByteSize(c.byteSize())
                .setEncoderSpec(trained.spec().toMap()).setLossConfig(Map.of()).setOffsets(List.of())
                .setAttachments(List.of()).setProvenance(Provenance.newBuilder().setConfig(Map.of()).setSeed(0)
                        .setCodeVersion("bench").setJavaVersion(System.getProperty("java.version"))
                        .setOs(System.getProperty("os.name")).setArch(System.getProperty("os.arch")).setDevice("cpu")
                        .build())
                .setCreatedAt(Instant.now()).build();
    }

    /** Writes {@code eval.json} and {@code eval.md} into {@code dir}. */
    public static void write(Result result, Path dir, String command) {
        try {
            Files.createDirectories(dir);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "eval");
            json.put("command", command);
            json.put("dataset", result.dataset());
            json.put("note", result.note());
            json.put("testSamples", result.testSamples());
            json.put("trainSubset", result.trainSubset());
            json.put("robustnessSubset", result.robustnessSubset());
            json.put("intervalSteps", result.intervalSteps());
            json.put("trainBatch", result.trainBatch());
            json.put("rounds", result.rounds());
            json.put("trainerIntervalSeconds", result.trainerIntervalSeconds());
            json.put("trainerSamples", result.trainerSamples());
            json.put("trainerLastLoss", result.trainerLastLoss());
            json.put("dataLoadSeconds", result.dataLoadSeconds());
            json.put("fast", result.fast());
            json.put("fastQueries", result.fastQueries());
            json.put("fastAll", result.fastAll());
            json.put("fastSampledVsAll", result.comparison());
            json.put("full", result.full().isPresent() ? result.full().get() : Map.of());
            json.put("fastReduced", result.fastReduced().isPresent() ? result.fastReduced().get() : Map.of());
            json.put("fastTargetRatio", FAST_TARGET_RATIO);
            json.put("fastTargetMet", result.fastTargetMet());
            json.put("suiteThreads", result.suiteThreads());
            json.put("torchThreads", result.torchThreads());
            json.put("cores", result.cores());
            json.put("javaVersion", result.javaVersion());
            json.put("measuredAt", result.measuredAt());
            Files.writeString(dir.resolve("eval.json"), mapper.writeValueAsString(json) + "\n");
            Files.writeString(dir.resolve("eval.md"), markdown(result, command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark results to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String markdown(Result r, String command) {
        StringBuilder md = new StringBuilder("# Evaluation cost per checkpoint vs. training time per checkpoint\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Measured %s on %d cores, Java %s, CPU (PyTorch via DJL).%n%n",
                r.measuredAt(), r.cores(), r.javaVersion()));
        if (!r.note().isEmpty()) {
            md.append("**Note:** ").append(r.note()).append("\n\n");
        }
        md.append(String.format(Locale.ROOT, "Dataset %s: %d test images evaluated per checkpoint, kNN memory / probe "
                + "set = %d train images, robustness subset %d images (full suite). Evaluation data loaded once per "
                + "evaluator in %.2f s (not per checkpoint). Metric threads: %d (retrieval, AUC and kNN share one "
                + "similarity pass whose query blocks are split over them; other families run side by side); "
                + "PyTorch intra-op threads: %s.%n%n", r.dataset(), r.testSamples(),
                r.trainSubset(), r.robustnessSubset(), r.dataLoadSeconds(), r.suiteThreads(), r.torchThreads()));
        md.append(String.format(Locale.ROOT, "%d alternating rounds of (a) then (b); medians reported.%n%n",
                r.rounds()));
        md.append(String.format(Locale.ROOT, "(a) Trainer, one checkpoint interval: %d steps, batch %d, two views, "
                + "784-256-128 MLP + 64-d head, InfoNCE, Adam, in memory (TrainingEngine.step + checkpoint write): "
                + "**%.2f s** median, rounds %s (loss after the last interval %.4f).%n%n", r.intervalSteps(),
                r.trainBatch(), r.trainerIntervalSeconds(), seconds(r.trainerSamples()), r.trainerLastLoss()));
        md.append("| suite | (b) s / checkpoint (median) | rounds | ratio b/a | target | values | key metrics |\n");
        md.append("|---|---:|---|---:|---|---:|---|\n");
        row(md, r.fast(), "<= " + FAST_TARGET_RATIO + (r.fastTargetMet() ? " (met)" : " (MISSED)"));
        row(md, r.fastAll(), "reported (every test image a query)");
        r.full().ifPresent(f -> row(md, f, "reported"));
        r.fastReduced().ifPresent(f -> row(md, f, "reported (" + f.suite().substring(5)
                + " test images, kNN memory of as many train images)"));
        md.append("\nStage completion times, s since the checkpoint's start (last round; retrieval, auc and knn "
                + "complete together at the end of their shared pass):\n\n");
        stages(md, r.fast());
        stages(md, r.fastAll());
        r.full().ifPresent(f -> stages(md, f));
        md.append(String.format(Locale.ROOT, "%nFast suite as shipped (%s) vs. every test image a query (fast[all]),"
                + " same checkpoint (last round). Standard error of the sampled value: sqrt((1 - m/N) s^2 / m) from"
                + " its m per-query values (N test images); none for the pooled AUC, whose pairs come from the"
                + " sampled rows:%n%n", r.fastQueries() == MetricSuite.ALL_QUERIES ? "every query"
                : r.fastQueries() + " seeded queries"));
        md.append("| metric | sampled | all queries | difference | standard error | |difference| / s.e. |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (Comparison c : r.comparison()) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f | %s | %s |%n", c.metric(), c.sampled(),
                    c.all(), c.difference(), Double.isNaN(c.standardError()) ? "-"
                            : String.format(Locale.ROOT, "%.4f", c.standardError()),
                    Double.isNaN(c.standardError()) || c.standardError() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.2f", Math.abs(c.difference()) / c.standardError())));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, SuiteTiming t, String target) {
        StringBuilder key = new StringBuilder();
        t.keyMetrics().forEach((k, v) -> key.append(String.format(Locale.ROOT, "%s %.4f ", k, v)));
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %.3f | %s | %d | %s|%n", t.suite(), t.seconds(),
                seconds(t.samples()), t.ratio(), target, t.metricCount(), key));
    }

    private static String seconds(List<Double> samples) {
        return samples.stream().map(v -> String.format(Locale.ROOT, "%.2f", v))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static void stages(StringBuilder md, SuiteTiming t) {
        md.append("- ").append(t.suite()).append(": ");
        StringBuilder s = new StringBuilder();
        t.stageSeconds().forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.2f, ", k, v)));
        md.append(s.length() > 2 ? s.substring(0, s.length() - 2) : "").append("\n");
    }
}
