package io.contrastream.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.contrastream.model.GradientLock;
import io.contrastream.eval.metrics.internal.BlockEmbedder;
import io.contrastream.eval.metrics.internal.DenseLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * White-box L-infinity robustness of an encoder on input pixels in [0, 1], with gradients taken through a DJL
 * encoder block and a linear classification head (e.g. a {@link LinearProbe.Model}).
 *
 * <ul>
 *   <li><b>Robust accuracy</b>: the attack maximises the cross-entropy of the head's logits. FGSM
 *       {@code x' = clip(x + eps * sign(grad))} (Goodfellow, Shlens, Szegedy, "Explaining and Harnessing Adversarial
 *       Examples", ICLR 2015) and PGD-k: optional uniform random start in the eps-ball, then k steps of size
 *       {@code stepScale * eps / k}, each projected back onto the eps-ball and [0, 1] (Madry, Makelov, Schmidt,
 *       Tsipras, Vladu, "Towards Deep Learning Models Resistant to Adversarial Attacks", ICLR 2018).</li>
 *   <li><b>Recall@1 under attack</b>: the attack maximises {@code ||f(x') - f(x)||^2}, the distance of the perturbed
 *       embedding from the clean one; perturbed queries are then ranked against the clean embeddings of the same
 *       images (excluding the query's own clean image). The gradient of this loss is zero at {@code x' = x}, so
 *       PGD always starts at a random point of the ball and FGSM becomes R+FGSM (random step of eps/2, then a
 *       gradient-sign step of eps/2; Tramer et al., "Ensemble Adversarial Training", ICLR 2018).</li>
 * </ul>
 * Epsilon 0 reuses the clean embeddings, so its values equal clean accuracy and clean Recall@1 exactly. Random
 * starts are seeded per (attack, epsilon, batch), so results are reproducible.
 *
 * <p>The encoder runs with {@code training = false}. Backward passes also reach the encoder's parameters, whose
 * gradient buffers are left with accumulated values: evaluate a copy that is not being trained, or zero the
 * gradients before the next optimiser step.
 */
public final class AdversarialRobustness {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialRobustness.class);

    /** The attack families. */
    public enum Attack {
        /** Single gradient-sign step. */
        FGSM,
        /** Projected gradient descent with {@link Config#pgdSteps()} steps. */
        PGD
    }

    /**
     * Attack parameters.
     *
     * @param attacks        attacks to run
     * @param epsilons       L-infinity radii in pixel units, each in [0, 1]
     * @param pgdSteps       PGD iterations k, &gt;= 1
     * @param pgdStepScale   PGD step size is {@code pgdStepScale * eps / k}, &gt; 0 (Madry et al. use 2.5)
     * @param pgdRandomStart random start for the cross-entropy PGD attack
     * @param seed           seed of random starts
     * @param batchSize      images per forward/backward pass
     */
    public record Config(List<Attack> attacks, List<Double> epsilons, int pgdSteps, double pgdStepScale,
                         boolean pgdRandomStart, long seed, int batchSize) {
        /** Validates and copies. */
        public Config {
            attacks = List.copyOf(attacks);
            epsilons = List.copyOf(epsilons);
            if (attacks.isEmpty() || epsilons.isEmpty()) {
                throw new IllegalArgumentException("AdversarialRobustness.Config: attacks and epsilons must be "
                        + "non-empty");
            }
            for (double e : epsilons) {
                if (!(e >= 0 && e <= 1)) {
                    throw new IllegalArgumentException("AdversarialRobustness.Config: epsilon " + e
                            + " outside [0, 1] (pixel units)");
                }
            }
            if (pgdSteps < 1 || !(pgdStepScale > 0) || batchSize < 1) {
                throw new IllegalArgumentException("AdversarialRobustness.Config: pgdSteps " + pgdSteps
                        + " >= 1, pgdStepScale " + pgdStepScale + " > 0, batchSize " + batchSize + " >= 1");
            }
        }

        /** FGSM and PGD-10 at eps {0, 1/255, 2/255, 4/255, 8/255}, step scale 2.5, random start, seed 0. */
        public static Config defaults() {
            return new Config(List.of(Attack.FGSM, Attack.PGD),
                    List.of(0.0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0), 10, 2.5, true, 0L, 128);
        }

        /** Name of an attack as published, e.g. "fgsm", "pgd-10". */
        public String attackName(Attack attack) {
            return attack == Attack.FGSM ? "fgsm" : "pgd-" + pgdSteps;
        }
    }

    /**
     * One (attack, epsilon) outcome.
     *
     * @param attack    "fgsm" or "pgd-k"
     * @param epsilon   L-infinity radius
     * @param accuracy  head accuracy on images attacked with cross-entropy
     * @param recallAt1 Recall@1 of embedding-attacked queries against clean embeddings
     */
    public record Result(String attack, double epsilon, double accuracy, double recallAt1) {
    }

    private final Config config;

    /** @param config attack parameters */
    public AdversarialRobustness(Config config) {
        this.config = config;
    }

    /**
     * Runs every configured attack at every epsilon.
     *
     * @param manager parent manager for all arrays (sub-managers are opened and closed per batch and step)
     * @param encoder initialised encoder block, input [B,C,H,W], output [B,D]
     * @param head    linear head on raw embeddings
     * @param images  test images in [0, 1]
     * @param labels  test labels
     * @return results in (attack, epsilon) order
     */
    public List<Result> evaluate(NDManager manager, Block encoder, LinearProbe.Model head, ImageSet images,
                                 int[] labels) {
        if (images.size() != labels.length || images.size() == 0) {
            throw new IllegalArgumentException("AdversarialRobustness: " + images.size() + " images but "
                    + labels.length + " labels; pass one label per image and at least one image");
        }
        BlockEmbedder embedder = new BlockEmbedder(manager, encoder, images.channels(), images.height(),
                images.width(), config.batchSize());
        float[][] clean = embedder.embed(images.pixels());
        int[] classIndex = DenseLabels.of(head.classes()).indexAll(labels);
        RetrievalMetrics recall = new RetrievalMetrics(new int[] {1}, 1);
        double cleanAccuracy = head.accuracy(clean, labels);
        double cleanRecall = recall.evaluate(clean, labels, clean, labels, true).recallAt(1);
        List<Result> out = new ArrayList<>();
        for (Attack attack : config.attacks()) {
            String name = config.attackName(attack);
            for (int e = 0; e < config.epsilons().size(); e++) {
                double eps = config.epsilons().get(e);
                if (eps == 0) {
                    out.add(new Result(name, eps, cleanAccuracy, cleanRecall));
                    continue;
                }
                long seed = config.seed() * 1_000_003L + attack.ordinal() * 10_007L + e;
                float[][] advCe = attackAll(embedder, images, attack, eps, seed, head, classIndex, null);
                float[][] advEmb = attackAll(embedder, images, attack, eps, seed + 7919L, head, classIndex, clean);
                double acc = head.accuracy(embedder.embed(advCe), labels);
                double r1 = recall.evaluate(embedder.embed(advEmb), labels, clean, labels, true).recallAt(1);
                LOG.debug("{} eps {}: accuracy {} recall@1 {}", name, eps, acc, r1);
                out.add(new Result(name, eps, acc, r1));
            }
        }
        return out;
    }

    /** Attacks every image; {@code cleanEmbeddings == null} selects the cross-entropy objective. */
    private float[][] attackAll(BlockEmbedder embedder, ImageSet images, Attack attack, double eps, long seed,
                                LinearProbe.Model head, int[] classIndex, float[][] cleanEmbeddings) {
        int size = images.imageSize();
        int n = images.size();
        float[][] out = new float[n][];
        boolean embeddingAttack = cleanEmbeddings != null;
        for (int b0 = 0, batch = 0; b0 < n; b0 += embedder.batchSize(), batch++) {
            int b = Math.min(embedder.batchSize(), n - b0);
            float[] x0 = new float[b * size];
            for (int i = 0; i < b; i++) {
                System.arraycopy(images.pixels()[b0 + i], 0, x0, i * size, size);
            }
            float[] x = x0.clone();
            SplittableRandom rnd = new SplittableRandom(seed * 31 + batch);
            try (NDManager batchManager = embedder.parameters().getManager().newSubManager()) {
                NDArray target = embeddingAttack
                        ? batchManager.create(flatten(cleanEmbeddings, b0, b))
                        .reshape(b, cleanEmbeddings[b0].length)
                        : oneHot(batchManager, classIndex, b0, b, head.classes().length);
                NDArray weightsT = embeddingAttack ? null
                        : batchManager.create(flatten(head.weights(), 0, head.weights().length))
                        .reshape(head.weights().length, head.weights()[0].length).transpose();
                NDArray bias = embeddingAttack ? null : batchManager.create(head.bias());
                if (attack == Attack.FGSM) {
                    double step = eps;
                    if (embeddingAttack) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] = clamp01(x0[i] + (rnd.nextBoolean() ? 0.5f : -0.5f) * (float) eps);
                        }
                        step = eps / 2;
                    }
                    float[] g = gradient(embedder, batchManager, x, b, target, weightsT, bias);
                    stepAndProject(x, x0, g, step, eps);
                } else {
                    if (embeddingAttack || config.pgdRandomStart()) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] = clamp01(x0[i] + (float) ((2 * rnd.nextDouble() - 1) * eps));
                        }
                    }
                    double step = config.pgdStepScale() * eps / config.pgdSteps();
                    for (int k = 0; k < config.pgdSteps(); k++) {
                        float[] g = gradient(embedder, batchManager, x, b, target, weightsT, bias);
                        stepAndProject(x, x0, g, step, eps);
                    }
                }
            }
            for (int i = 0; i < b; i++) {
                out[b0 + i] = java.util.Arrays.copyOfRange(x, i * size, (i + 1) * size);
            }
        }
        return out;
    }

    /**
     * Gradient of the attack loss w.r.t. the input pixels: cross-entropy of {@code emb W^T + b} against one-hot
     * {@code target} when {@code weightsT != null}, otherwise squared distance of the embedding to {@code target}.
     */
    private static float[] gradient(BlockEmbedder embedder, NDManager batchManager, float[] x, int b,
                                    NDArray target, NDArray weightsT, NDArray bias) {
        try (NDManager step = batchManager.newSubManager()) {
            NDArray input = step.create(x, embedder.batchShape(b));
            input.setRequiresGradient(true);
            try (GradientCollector collector = GradientLock.open(step.getEngine()::newGradientCollector)) {
                NDArray emb = embedder.forward(input);
                NDArray loss;
                if (weightsT != null) {
                    NDArray logits = emb.matMul(weightsT).add(bias);
                    loss = logits.logSoftmax(1).mul(target).sum().neg();
                } else {
                    loss = emb.sub(target).square().sum();
                }
                collector.backward(loss);
            }
            return input.getGradient().toFloatArray();
        }
    }

    private static void stepAndProject(float[] x, float[] x0, float[] g, double step, double eps) {
        for (int i = 0; i < x.length; i++) {
            float moved = x[i] + (float) step * Math.signum(g[i]);
            float lo = Math.max(0f, x0[i] - (float) eps);
            float hi = Math.min(1f, x0[i] + (float) eps);
            x[i] = Math.min(hi, Math.max(lo, moved));
        }
    }

    private static float clamp01(float v) {
        return Math.min(1f, Math.max(0f, v));
    }

    private static float[] flatten(float[][] rows, int from, int count) {
        int d = rows[from].length;
        float[] out = new float[count * d];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows[from + i], 0, out, i * d, d);
        }
        return out;
    }

    private static NDArray oneHot(NDManager manager, int[] classIndex, int from, int count, int classes) {
        float[] out = new float[count * classes];
        for (int i = 0; i < count; i++) {
            int c = classIndex[from + i];
            if (c < 0) {
                throw new IllegalArgumentException("AdversarialRobustness: test label at index " + (from + i)
                        + " is not a class of the linear head; fit the head on a train set covering every label");
            }
            out[i * classes + c] = 1f;
        }
        return manager.create(out).reshape(count, classes);
    }
}
