package io.contrastream.eval.metrics;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which metrics to compute and with which parameters, as data. Two named suites:
 * <ul>
 *   <li>{@code fast}: retrieval (Recall@{1,5,10}, MRR@10, mAP@R), AUC (pooled + mean per query), weighted kNN;</li>
 *   <li>{@code full}: everything: additionally linear probe, NME (train set as exemplars), alignment and
 *       uniformity, and, when images and an encoder are supplied, adversarial (FGSM, PGD-10) and corruption
 *       robustness.</li>
 * </ul>
 * Each metric's definition and citation is on its class.
 *
 * <p><b>Query sample.</b> Retrieval (Recall@K, MRR, mAP@R), the per-query and pooled AUC and kNN are per-query
 * metrics. With {@code queries} below the split size only that many test samples, drawn once from the suite seed
 * (uniformly without replacement, so every checkpoint of a run scores the same queries), act as queries; every test
 * sample stays in the gallery and the kNN memory stays whole, so each value estimates the all-query value (the
 * pooled AUC's pairs are drawn from the sampled queries' rows, see {@link PairAuc}). Its standard error is
 * {@code sqrt((1 - m / N) * s^2 / m)} for m sampled queries out of N, s^2 the sample variance of the per-query values
 * (a hit indicator for Recall@K and kNN, the reciprocal rank, the average precision, the query's AUC). Sampled values
 * carry the label {@code queries=<m>}, so their keys differ from the exact values of a suite with every query.
 * {@link #fast()} samples {@value #DEFAULT_FAST_QUERIES} queries; {@link #full()} uses every query.
 *
 * @param name              suite name
 * @param metrics           metrics to compute
 * @param recallKs          Recall@K cut-offs
 * @param mrrCutoff         MRR cut-off
 * @param maxPairs          pair cap above which AUC / alignment / uniformity sample pairs
 * @param seed              seed for every sampled or random part
 * @param knnK              kNN neighbours
 * @param knnTau            kNN temperature
 * @param probe             linear probe hyper-parameters
 * @param alignAlpha        alignment exponent
 * @param uniformityT       uniformity temperature
 * @param adversarial       adversarial attack parameters
 * @param corruptions       corruptions to apply
 * @param queries           test samples used as queries by the per-query metrics, {@link #ALL_QUERIES} (0) for
 *                          every one; values at or above the split size also use every one
 */
public record MetricSuite(String name, Set<Metric> metrics, List<Integer> recallKs, int mrrCutoff, long maxPairs,
                          long seed, int knnK, double knnTau, LinearProbe.Config probe, double alignAlpha,
                          double uniformityT, AdversarialRobustness.Config adversarial,
                          List<CorruptionRobustness.Corruption> corruptions, int queries) {

    /** {@link #queries()} value meaning every test sample is a query. */
    public static final int ALL_QUERIES = 0;
    /** Queries of {@link #fast()}. */
    public static final int DEFAULT_FAST_QUERIES = 2_000;

    /** The metric families. */
    public enum Metric {
        /** {@link RetrievalMetrics}. */
        RETRIEVAL,
        /** {@link PairAuc}. */
        AUC,
        /** {@link WeightedKnn}. */
        KNN,
        /** {@link LinearProbe}. */
        LINEAR_PROBE,
        /** {@link NearestClassMean}. */
        NME,
        /** {@link AlignmentUniformity}. */
        ALIGNMENT_UNIFORMITY,
        /** {@link AdversarialRobustness}; needs images and an encoder. */
        ADVERSARIAL,
        /** {@link CorruptionRobustness}; needs images and an encoder. */
        CORRUPTION
    }

    /** Validates and copies. */
    public MetricSuite {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MetricSuite: name must be non-blank");
        }
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("MetricSuite " + name + ": metrics must be non-empty");
        }
        metrics = Collections.unmodifiableSet(EnumSet.copyOf(metrics));
        recallKs = List.copyOf(recallKs);
        corruptions = List.copyOf(corruptions);
        if (recallKs.isEmpty() || recallKs.stream().anyMatch(k -> k < 1) || mrrCutoff < 1 || maxPairs < 1
                || knnK < 1 || !(knnTau > 0) || !(alignAlpha > 0) || !(uniformityT > 0)) {
            throw new IllegalArgumentException("MetricSuite " + name + ": recallKs " + recallKs + " (>= 1), mrrCutoff "
                    + mrrCutoff + ", maxPairs " + maxPairs + ", knnK " + knnK + " must be >= 1 and knnTau " + knnTau
                    + ", alignAlpha " + alignAlpha + ", uniformityT " + uniformityT + " > 0");
        }
        if (queries < 0) {
            throw new IllegalArgumentException("MetricSuite " + name + ": queries " + queries
                    + " must be >= 0 (0 = every test sample)");
        }
    }

    /** Retrieval + AUC + kNN with default parameters, on {@value #DEFAULT_FAST_QUERIES} seeded queries. */
    public static MetricSuite fast() {
        return defaults("fast", EnumSet.of(Metric.RETRIEVAL, Metric.AUC, Metric.KNN), DEFAULT_FAST_QUERIES);
    }

    /** Every metric with default parameters, every test sample a query (exact values). */
    public static MetricSuite full() {
        return defaults("full", EnumSet.allOf(Metric.class), ALL_QUERIES);
    }

    /** The suite called {@code name} ("fast" or "full", case-insensitive). */
    public static MetricSuite named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fast" -> fast();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown metric suite '" + name + "'; use fast or full");
        };
    }

    private static MetricSuite defaults(String name, Set<Metric> metrics, int queries) {
        return new MetricSuite(name, metrics, RetrievalMetrics.DEFAULT_KS,
                RetrievalMetrics.DEFAULT_MRR_CUTOFF, PairAuc.DEFAULT_MAX_PAIRS, 0L, WeightedKnn.DEFAULT_K,
                WeightedKnn.DEFAULT_TAU, LinearProbe.Config.defaults(), AlignmentUniformity.DEFAULT_ALPHA,
                AlignmentUniformity.DEFAULT_T, AdversarialRobustness.Config.defaults(),
                List.of(CorruptionRobustness.Corruption.values()), queries);
    }

    /** Copy with another seed (also used for attacks). */
    public MetricSuite withSeed(long newSeed) {
        AdversarialRobustness.Config a = adversarial;
        return new MetricSuite(name, metrics, recallKs, mrrCutoff, maxPairs, newSeed, knnK, knnTau, probe, alignAlpha,
                uniformityT, new AdversarialRobustness.Config(a.attacks(), a.epsilons(), a.pgdSteps(),
                a.pgdStepScale(), a.pgdRandomStart(), newSeed, a.batchSize()), corruptions, queries);
    }

    /** Copy with other adversarial parameters. */
    public MetricSuite withAdversarial(AdversarialRobustness.Config config) {
        return new MetricSuite(name, metrics, recallKs, mrrCutoff, maxPairs, seed, knnK, knnTau, probe, alignAlpha,
                uniformityT, config, corruptions, queries);
    }

    /** Copy computing exactly the metrics in {@code only} (replaces the current set). */
    public MetricSuite withMetrics(Set<Metric> only) {
        return new MetricSuite(name, only, recallKs, mrrCutoff, maxPairs, seed, knnK, knnTau, probe, alignAlpha,
                uniformityT, adversarial, corruptions, queries);
    }

    /** Copy with another query count ({@link #ALL_QUERIES} for every test sample). */
    public MetricSuite withQueries(int n) {
        return new MetricSuite(name, metrics, recallKs, mrrCutoff, maxPairs, seed, knnK, knnTau, probe, alignAlpha,
                uniformityT, adversarial, corruptions, n);
    }

    /** True when a split of {@code n} test samples is scored on a sample of fewer than {@code n} queries. */
    public boolean samplesQueries(int n) {
        return queries != ALL_QUERIES && queries < n;
    }

    /** True when {@code metric} is part of the suite. */
    public boolean includes(Metric metric) {
        return metrics.contains(metric);
    }
}
