package io.contrastream.trainer.bench;

import io.contrastream.data.Dataset;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.model.EncoderSpec;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.trainer.HardNegativeSource;
import io.contrastream.trainer.InMemoryHardNegativeSource;
import io.contrastream.trainer.InMemoryViewSource;
import io.contrastream.trainer.SourcedView;
import io.contrastream.trainer.TrainerConfig;
import io.contrastream.trainer.TrainerSummary;
import io.contrastream.trainer.TrainerWorker;
import io.contrastream.trainer.ViewLocation;
import io.contrastream.trainer.engine.TrainBatch;
import io.contrastream.trainer.loss.LossConfig;
import io.contrastream.trainer.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ANCE-style hard negatives ({@link TrainerConfig#hardNegatives()} = M) cost the trainer loop, in one run,
 * rounds interleaved (the order reversed every other round): (a) the in-memory loop exactly as
 * {@link TrainerBenchmark}'s memory source (same model, loss, batch 512, Adam, views, {@link InMemoryViewSource}
 * partitions), no hard negatives; (b) the same loop with M
 * explicit negatives per sample, joined from an {@link InMemoryHardNegativeSource} holding one set of M candidates
 * per anchor and resolved through the trainer's negative cache, for each M asked for.
 *
 * <p>The sets are not mined by the producers' kernel (another module; the trainer must not depend on it): each
 * anchor gets M seeded-random sample ids of another label among the samples the trainer has already trained a batch
 * before the anchor's (so they are cached when it trains). Selection and training cost do not depend on how the ids
 * were mined; the miner's own cost is separate and not measured here. Mined and filled counts are reported so a
 * reader sees the negatives were really used.
 *
 * <p>Warm samples/s = samples of the steps after {@code warmupSteps}, over the time between the warm-up's last step
 * and the round's last step (as in {@link TrainerBenchmark}). The first step of a round has no negatives (nothing is
 * cached yet); it is inside the untimed warm-up, and the timed steps without negatives are reported separately.
 */
public final class HardNegativeBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(HardNegativeBenchmark.class);
    private static final int BATCH = 512;
    private static final int VIEWS = 2;
    private static final int PARTITIONS = 4;
    private static final int MAX_POLL_RECORDS = 2000;
    private static final String RUN_ID = "bench";
    static final String BASELINE = "memory";

    private HardNegativeBenchmark() {
    }

    /**
     * @param rounds        timed interleaved rounds (each: baseline, then every M)
     * @param warmupRounds  untimed rounds first (class loading, JIT)
     * @param steps         steps per round, including warm-up
     * @param warmupSteps   steps not timed at the start of each round, {@code >= 1}
     * @param hardNegatives the values of M to measure, each {@code >= 1}
     * @param dataDir       where fashion-mnist is looked for; synthetic 28x28 shapes when it is missing
     * @param scratchDir    checkpoint directory the configs name (in-memory rounds write no checkpoints)
     */
    public record Options(int rounds, int warmupRounds, int steps, int warmupSteps, List<Integer> hardNegatives,
                          Path dataDir, Path scratchDir) {
        public Options {
            TrainerBenchmark.checkRounds(rounds, warmupRounds, steps, warmupSteps);
            hardNegatives = List.copyOf(new LinkedHashSet<>(hardNegatives));
            if (hardNegatives.isEmpty() || hardNegatives.stream().anyMatch(m -> m < 1)) {
                throw new IllegalArgumentException("hardNegatives must name at least one M >= 1, got "
                        + hardNegatives);
            }
        }
    }

    /**
     * One timed round of one source.
     *
     * @param source                  {@value #BASELINE} or {@code hard-negatives-M<m>}
     * @param m                       negatives per sample (0 for the baseline)
     * @param samplesPerSecond        warm samples/s
     * @param negativesMined          negatives of the round's batches that were candidates of the sets
     * @param negativesFilled         negatives drawn from the cache to complete M
     * @param stepsWithoutNegatives   steps of the round that trained without negatives
     * @param timedStepsWithNegatives timed steps that trained with negatives
     * @param timedSteps              timed steps
     */
    public record Round(String source, int m, double samplesPerSecond, long negativesMined, long negativesFilled,
                        long stepsWithoutNegatives, long timedStepsWithNegatives, long timedSteps) {
    }

    /** Mean of one source over the timed rounds, with its counters summed over them. */
    public record SourceResult(String source, int m, double samplesPerSecond, double overBaseline,
                               long negativesMined, long negativesFilled, long stepsWithoutNegatives,
                               long timedStepsWithNegatives, long timedSteps) {
    }

    /**
     * Result of a run.
     *
     * @param dataset      data the views came from
     * @param rounds       every timed round in the order run
     * @param sources      baseline first, then every M, means over the timed rounds
     * @param device       DJL device
     * @param cores        available processors
     * @param torchThreads DJL intra-op threads
     */
    public record Result(String dataset, List<Round> rounds, List<SourceResult> sources, String device, int cores,
                         int steps, int warmupSteps, int warmupRounds, String torchThreads) {

        /** One JSON object; {@code machineLoad} is added as is. */
        public String toJson(String machineLoad) {
            StringBuilder ss = new StringBuilder();
            for (SourceResult s : sources) {
                ss.append(ss.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"source\":\"%s\",\"hardNegatives\":%d,\"samplesPerSecond\":%.1f,\"overBaseline\":%.3f,"
                                + "\"negativesMined\":%d,\"negativesFilled\":%d,\"stepsWithoutNegatives\":%d,"
                                + "\"timedStepsWithNegatives\":%d,\"timedSteps\":%d}", s.source(), s.m(),
                        s.samplesPerSecond(), s.overBaseline(), s.negativesMined(), s.negativesFilled(),
                        s.stepsWithoutNegatives(), s.timedStepsWithNegatives(), s.timedSteps()));
            }
            StringBuilder rs = new StringBuilder();
            for (Round r : rounds) {
                rs.append(rs.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"source\":\"%s\",\"samplesPerSecond\":%.1f,\"negativesMined\":%d,\"negativesFilled\":%d}",
                        r.source(), r.samplesPerSecond(), r.negativesMined(), r.negativesFilled()));
            }
            return String.format(Locale.ROOT, "{\"benchmark\":\"hard-negatives\","
                            + "\"model\":\"mlp-784-256-128+head-128-64\",\"loss\":\"infonce-2view tau 0.2\","
                            + "\"optimizer\":\"adam lr 1e-3\",\"batch\":%d,\"views\":%d,\"dataset\":\"%s\","
                            + "\"negativeSets\":\"seeded random other-label ids of already trained samples\","
                            + "\"device\":\"%s\",\"cores\":%d,\"stepsPerRound\":%d,\"warmupSteps\":%d,"
                            + "\"warmupRounds\":%d,\"djlTorchThreads\":\"%s\",\"sources\":[%s],\"rounds\":[%s],"
                            + "\"machineLoad\":\"%s\"}", BATCH, VIEWS, dataset, device, cores, steps, warmupSteps,
                    warmupRounds, torchThreads, ss, rs, machineLoad);
        }

        /** The Markdown report; {@code machineLoad} is appended as a sentence. */
        public String toMarkdown(String machineLoad) {
            StringBuilder md = new StringBuilder();
            md.append("# Trainer throughput with ANCE hard negatives\n\n")
                    .append("Model 784-256-128 MLP + 128-128-64 projection head, two-view InfoNCE (tau 0.2; with ")
                    .append("hard negatives each anchor's M explicit negatives are appended to its partition ")
                    .append("function), batch ").append(BATCH).append(", Adam lr 1e-3, data ").append(dataset)
                    .append(", device ").append(device).append(", ").append(cores)
                    .append(" cores (shared with other jobs; rounds interleaved so load affects every source ")
                    .append("alike). ").append(steps).append(" steps per round, first ").append(warmupSteps)
                    .append(" untimed, after ").append(warmupRounds).append(" untimed warm-up round(s). DJL ")
                    .append("intra-op threads: ").append(torchThreads).append(".\n\n")
                    .append("(a) is the in-memory trainer loop exactly as the memory source of `bench trainer` ")
                    .append("(InMemoryViewSource, no hard negatives); (b) is the same loop with `hardNegatives = M`: ")
                    .append("an InMemoryHardNegativeSource holds one set of M candidates per anchor, and the ")
                    .append("trainer resolves them through its negative cache (filling from the cache with random ")
                    .append("samples of another label when a candidate is not cached). The candidates are seeded ")
                    .append("random ids of another label among samples trained at least one batch earlier, not ")
                    .append("mined by the producers' kernel: selection and training cost do not depend on how the ")
                    .append("ids were mined; the miner's own cost is separate and not measured here. The samples of ")
                    .append("a round's first two batches have no set (nothing was trained a batch before them), so ")
                    .append("their negatives are filled. Each round runs every source once, in reverse order every ")
                    .append("other round.\n\n")
                    .append("| source | M | warm samples/s (mean) | vs (a) | negatives mined | negatives filled | ")
                    .append("steps without negatives | timed steps with negatives |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (SourceResult s : sources) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.3f | %d | %d | %d | %d of %d |%n",
                        s.m() == 0 ? "(a) memory, no hard negatives" : "(b) memory, hard negatives", s.m(),
                        s.samplesPerSecond(), s.overBaseline(), s.negativesMined(), s.negativesFilled(),
                        s.stepsWithoutNegatives(), s.timedStepsWithNegatives(), s.timedSteps()));
            }
            md.append("\nCounters are summed over every step of the timed rounds (untimed warm-up steps included). ")
                    .append("A round's first step always trains without negatives (nothing is cached yet) and lies ")
                    .append("in the untimed warm-up.\n\n")
                    .append("Why (b) costs more: every sample adds M encoded negatives to the step, so the encoder's ")
                    .append("forward and backward pass runs on `batch x (2 + M)` inputs instead of `batch x 2`, and ")
                    .append("the loss gains M logits per row; before the step the trainer copies `batch x M` cached ")
                    .append("samples' pixels into the batch. The ratio above is what that costs on this machine.\n")
                    .append("\nRounds in order:\n\n| # | source | samples/s | mined | filled |\n")
                    .append("|---|---|---|---|---|\n");
            for (int i = 0; i < rounds.size(); i++) {
                Round r = rounds.get(i);
                md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %d | %d |%n", i + 1, r.source(),
                        r.samplesPerSecond(), r.negativesMined(), r.negativesFilled()));
            }
            md.append("\nReproduce: `contrastream bench hard-negatives --data-dir <dir with fashion-mnist>`\n")
                    .append("\nMachine ").append(machineLoad).append(".\n");
            return md.toString();
        }

        /** Writes {@code hard-negatives.json} and {@code hard-negatives.md} to {@code dir}; returns their paths. */
        public List<Path> write(Path dir, String machineLoad) throws IOException {
            Files.createDirectories(dir);
            Path json = dir.resolve("hard-negatives.json");
            Path md = dir.resolve("hard-negatives.md");
            Files.writeString(json, toJson(machineLoad.replace("\"", "'")) + "\n");
            Files.writeString(md, toMarkdown(machineLoad));
            return List.of(json, md);
        }
    }

    /** Runs the benchmark in this JVM (no broker). */
    public static Result run(Options options) {
        Dataset dataset = TrainerBenchmark.open(options.dataDir());
        int samples = options.steps() * BATCH;
        LOG.info("hard-negative benchmark: preparing {} samples x {} views from {}", samples, VIEWS,
                dataset.name());
        List<AugmentedView> views = TrainerBenchmark.views(dataset, samples);
        List<List<AugmentedView>> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int i = 0; i < views.size(); i += VIEWS) {
            int p = Math.floorMod(views.get(i).getSampleId().hashCode(), PARTITIONS);
            partitions.get(p).addAll(views.subList(i, i + VIEWS));
        }
        int maxM = options.hardNegatives().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<HardNegativeSet> sets = sets(partitions, maxM, config("hard-negatives-M" + maxM, maxM, options)
                .negativeCacheSize(), 42);
        LOG.info("hard-negative benchmark: {} sets of {} candidates; M = {}", sets.size(), maxM,
                options.hardNegatives());
        List<Round> rounds = new ArrayList<>();
        String device = "?";
        for (int r = -options.warmupRounds(); r < options.rounds(); r++) {
            // every source once per round; the order reverses every other round so no source always runs first
            List<Integer> ms = new ArrayList<>();
            ms.add(0);
            ms.addAll(options.hardNegatives());
            if (Math.floorMod(r, 2) == 1) {
                Collections.reverse(ms);
            }
            List<Round> these = new ArrayList<>();
            for (int m : ms) {
                Measured measured = m == 0 ? round(BASELINE, 0, partitions, HardNegativeSource.none(), options)
                        : round("hard-negatives-M" + m, m, partitions, new InMemoryHardNegativeSource(sets), options);
                these.add(measured.round());
                device = measured.device();
            }
            LOG.info("{} round {}: {}", r < 0 ? "warm-up" : "timed", r, these.stream().map(x -> String.format(
                    Locale.ROOT, "%s %.1f samples/s (mined %d, filled %d)", x.source(), x.samplesPerSecond(),
                    x.negativesMined(), x.negativesFilled())).toList());
            if (r >= 0) {
                rounds.addAll(these);
            }
        }
        List<SourceResult> sources = new ArrayList<>();
        Map<String, Integer> order = new LinkedHashMap<>();
        order.put(BASELINE, 0);
        options.hardNegatives().forEach(m -> order.put("hard-negatives-M" + m, m));
        double baseline = mean(rounds, BASELINE);
        order.forEach((source, m) -> {
            List<Round> of = rounds.stream().filter(x -> x.source().equals(source)).toList();
            double mean = mean(rounds, source);
            sources.add(new SourceResult(source, m, mean, mean / baseline,
                    of.stream().mapToLong(Round::negativesMined).sum(),
                    of.stream().mapToLong(Round::negativesFilled).sum(),
                    of.stream().mapToLong(Round::stepsWithoutNegatives).sum(),
                    of.stream().mapToLong(Round::timedStepsWithNegatives).sum(),
                    of.stream().mapToLong(Round::timedSteps).sum()));
        });
        return new Result(dataset.name() + "/" + dataset.split(), List.copyOf(rounds), List.copyOf(sources), device,
                Runtime.getRuntime().availableProcessors(), options.steps(), options.warmupSteps(),
                options.warmupRounds(), System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
    }

    private record Measured(Round round, String device) {
    }

    private static Measured round(String source, int m, List<List<AugmentedView>> partitions,
                               HardNegativeSource negatives, Options options) {
        Meter meter = new Meter(options.warmupSteps());
        TrainerConfig config = config(source, m, options);
        TrainerSummary summary = TrainerWorker.fromSource(new InMemoryViewSource(config.catalog().views().name(),
                partitions, MAX_POLL_RECORDS), List.of(), negatives, config, meter).run();
        if (summary.steps() != options.steps()) {
            throw new IllegalStateException(source + " round trained " + summary.steps() + " steps, expected "
                    + options.steps() + " (" + summary.reason() + ")");
        }
        return new Measured(new Round(source, m, meter.samplesPerSecond(), summary.negativesMined(),
                summary.negativesFilled(), meter.stepsWithoutNegatives, meter.timedWithNegatives, meter.timedSteps),
                meter.device);
    }

    /** {@link TrainerBenchmark}'s trainer settings, with {@code m} hard negatives (0 = off). */
    private static TrainerConfig config(String source, int m, Options options) {
        return TrainerConfig.builder().setRunId(RUN_ID).optInstanceId(0)
                .setCatalog(new TopicCatalog("bench-" + source, PARTITIONS, (short) 1))
                .setCheckpointDir(options.scratchDir().resolve(source))
                .setEncoder(EncoderSpec.mnistMlp()).setLoss(LossConfig.of("infonce", 0.2f))
                .setOptimizer(OptimizerConfig.adam(1e-3f)).setSeed(42).optBatchSize(BATCH).optViews(VIEWS)
                .optCheckpointEverySteps(Integer.MAX_VALUE).optMaxSteps(options.steps())
                .optIdleTimeout(Duration.ofSeconds(15)).optHardNegatives(m).build();
    }

    /**
     * One set per sample that is not in the first two batches of the delivery order: {@code m} seeded-random ids of
     * another label among the samples delivered before the batch preceding the anchor's (cached by the time the
     * anchor trains) and within half the negative cache back (not evicted).
     */
    static List<HardNegativeSet> sets(List<List<AugmentedView>> partitions, int m, int cacheSize, long seed) {
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        InMemoryViewSource order = new InMemoryViewSource("order", partitions, MAX_POLL_RECORDS);
        while (!order.exhausted()) {
            for (SourcedView sourced : order.poll(Duration.ZERO)) {
                AugmentedView view = ((SourcedView.Decoded) sourced).view();
                if (seen.add(view.getSampleId())) {
                    ids.add(view.getSampleId());
                    labels.add(view.getLabel());
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<HardNegativeSet> sets = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 2 * BATCH; i < ids.size(); i++) {
            int hi = (i / BATCH - 1) * BATCH;
            int lo = Math.max(0, hi - cacheSize / 2);
            Set<String> chosen = new LinkedHashSet<>();
            for (int attempt = 0; attempt < 100 * m && chosen.size() < m; attempt++) {
                int j = lo + random.nextInt(hi - lo);
                if (!labels.get(j).equals(labels.get(i))) {
                    chosen.add(ids.get(j));
                }
            }
            sets.add(HardNegativeSet.newBuilder().setRunId(RUN_ID).setAnchorId(ids.get(i)).setMinedWithStep(0)
                    .setMinedAt(now).setCandidates(chosen.stream().map(c -> new Candidate(c, 0f)).toList()).build());
        }
        return sets;
    }

    private static double mean(List<Round> rounds, String source) {
        return rounds.stream().filter(r -> r.source().equals(source)).mapToDouble(Round::samplesPerSecond)
                .average().orElse(Double.NaN);
    }

    /** Times steps as {@link TrainerBenchmark}'s timing does and counts the steps with and without negatives. */
    private static final class Meter extends TrainerBenchmark.Timing {
        long stepsWithoutNegatives;
        long timedWithNegatives;
        long timedSteps;

        Meter(int warmup) {
            super(warmup);
        }

        /** Called after {@link #onBatchTrained} of the same step. */
        @Override
        public void onBatch(long step, TrainBatch batch) {
            boolean negatives = batch.negativePixels().isPresent();
            if (!negatives) {
                stepsWithoutNegatives++;
            }
            if (timing() && negatives) {
                timedWithNegatives++;
            }
        }

        @Override
        public void onBatchTrained(long step, List<ViewLocation> views) {
            super.onBatchTrained(step, views);
            if (timing()) {
                timedSteps++;
            }
        }
    }
}
