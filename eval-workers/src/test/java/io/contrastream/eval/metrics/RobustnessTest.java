package io.contrastream.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.contrastream.eval.metrics.internal.BlockEmbedder;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RobustnessTest {

    private static final int SIDE = 4;

    /** Two Gaussian blobs of 1x4x4 images: class 0 around 0.35, class 1 around 0.65, std 0.08, clipped. */
    private static ImageSet blobs(int n, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] px = new float[n][SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < px[i].length; k++) {
                double v = (labels[i] == 0 ? 0.35 : 0.65) + 0.08 * rnd.nextGaussian();
                px[i][k] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new ImageSet(px, 1, SIDE, SIDE);
    }

    private static int[] trainLabels;
    private static ImageSet train;
    private static int[] testLabels;
    private static ImageSet test;

    @BeforeAll
    static void data() {
        trainLabels = new int[200];
        train = blobs(200, 1, trainLabels);
        testLabels = new int[100];
        test = blobs(100, 2, testLabels);
    }

    private interface WithEncoder {
        void run(NDManager manager, SequentialBlock encoder);
    }

    /** Trains encoder + 2-way head for 60 full-batch Adam steps, then hands the encoder over. */
    private static void withTrainedEncoder(WithEncoder body) {
        Engine.getInstance().setRandomSeed(42);
        try (Model model = Model.newInstance("tiny-mlp")) {
            SequentialBlock encoder = new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(8).build());
            model.setBlock(new SequentialBlock().add(encoder).add(Linear.builder().setUnits(2).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(train.size(), 1, SIDE, SIDE));
                float[] flat = new float[train.size() * SIDE * SIDE];
                float[] y = new float[train.size()];
                for (int i = 0; i < train.size(); i++) {
                    System.arraycopy(train.pixels()[i], 0, flat, i * SIDE * SIDE, SIDE * SIDE);
                    y[i] = trainLabels[i];
                }
                for (int step = 0; step < 60; step++) {
                    try (NDManager s = model.getNDManager().newSubManager()) {
                        NDArray x = s.create(flat, new Shape(train.size(), 1, SIDE, SIDE));
                        NDArray label = s.create(y);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(x));
                            gc.backward(trainer.getLoss().evaluate(new NDList(label), pred));
                        }
                        trainer.step();
                    }
                }
            }
            try (NDManager evalManager = model.getNDManager().newSubManager()) {
                body.run(evalManager, encoder);
            }
        }
    }

    @Test
    void shouldNotIncreaseRobustAccuracyWithEpsilonAndMatchCleanAtZero() {
        withTrainedEncoder((manager, encoder) -> {
            BlockEmbedder embedder = new BlockEmbedder(manager, encoder, 1, SIDE, SIDE, 64);
            LinearProbe.Model head = new LinearProbe().fit(embedder.embed(train.pixels()), trainLabels);
            float[][] cleanTest = embedder.embed(test.pixels());
            double clean = head.accuracy(cleanTest, testLabels);
            double cleanRecall = new RetrievalMetrics(new int[] {1}, 1).evaluate(cleanTest, testLabels).recallAt(1);
            assertTrue(clean >= 0.95, "clean accuracy " + clean);

            List<Double> eps = List.of(0.0, 0.05, 0.1, 0.2, 0.3);
            AdversarialRobustness.Config config = new AdversarialRobustness.Config(
                    List.of(AdversarialRobustness.Attack.PGD, AdversarialRobustness.Attack.FGSM), eps, 10, 2.5,
                    true, 7L, 64);
            List<AdversarialRobustness.Result> results = new AdversarialRobustness(config)
                    .evaluate(manager, encoder, head, test, testLabels);
            assertEquals(10, results.size());
            List<AdversarialRobustness.Result> pgd = results.subList(0, 5);
            assertEquals("pgd-10", pgd.get(0).attack());
            assertEquals(clean, pgd.get(0).accuracy(), 0.0);
            assertEquals(cleanRecall, pgd.get(0).recallAt1(), 0.0);
            for (int i = 1; i < pgd.size(); i++) {
                assertTrue(pgd.get(i).accuracy() <= pgd.get(i - 1).accuracy(), "PGD accuracy rose: " + pgd);
            }
            // blobs are 0.3 apart per pixel: a 0.3 attack can move every pixel onto the other class' mean
            assertTrue(pgd.get(4).accuracy() < 0.5, "PGD at 0.3 should break the classifier: " + pgd);
            assertTrue(pgd.get(4).recallAt1() < cleanRecall, "embedding attack should hurt Recall@1: " + pgd);
            List<AdversarialRobustness.Result> fgsm = results.subList(5, 10);
            assertEquals("fgsm", fgsm.get(0).attack());
            assertEquals(clean, fgsm.get(0).accuracy(), 0.0);
            // PGD-10 is at least as strong as FGSM at the same radius (same objective, more steps)
            assertTrue(pgd.get(2).accuracy() <= fgsm.get(2).accuracy() + 0.02, "FGSM " + fgsm + " PGD " + pgd);
        });
    }

    @Test
    void shouldReportFiveSeveritiesPerCorruptionWithCleanLikeAccuracyForMildOnes() {
        withTrainedEncoder((manager, encoder) -> {
            BlockEmbedder embedder = new BlockEmbedder(manager, encoder, 1, SIDE, SIDE, 64);
            LinearProbe.Model head = new LinearProbe().fit(embedder.embed(train.pixels()), trainLabels);
            double clean = head.accuracy(embedder.embed(test.pixels()), testLabels);
            List<CorruptionRobustness.Result> r = new CorruptionRobustness(3L, 64).evaluate(manager, encoder, head,
                    test, testLabels, List.of(CorruptionRobustness.Corruption.GAUSSIAN_NOISE,
                            CorruptionRobustness.Corruption.GAUSSIAN_BLUR));
            assertEquals(10, r.size());
            assertEquals("gaussian-noise", r.get(0).corruption());
            assertEquals(0.10, r.get(4).parameter(), 0.0);
            assertEquals("gaussian-blur", r.get(5).corruption());
            // blur averages pixels of one blob, which only makes the blob mean clearer; noise std <= 0.1 is
            // small next to the 0.3 gap between the blob means
            for (CorruptionRobustness.Result x : r) {
                assertTrue(x.accuracy() >= clean - 0.1, "corruption " + x + " vs clean " + clean);
            }
        });
    }

    @Test
    void shouldBlurHandCaseWithReflectedBorders() {
        // 1x1x3 image [0,1,0], sigma 1 (severity 5), radius 3, weights w_i = e^{-i^2/2}.
        // Vertical pass is the identity (height 1). Centre pixel x=1, taps at x-3..x+3 = -2..4 reflect to
        // 2,1,0,1,2,1,0 -> ones at taps i=-2, 0, +2: (w0 + 2 w2) / (w0 + 2(w1 + w2 + w3))
        // = (1 + 2e^-2) / (1 + 2(e^-0.5 + e^-2 + e^-4.5)) = 1.27067 / 2.50596 = 0.50706
        float[] out = CorruptionRobustness.apply(CorruptionRobustness.Corruption.GAUSSIAN_BLUR, 5,
                new float[] {0, 1, 0}, 1, 1, 3, new SplittableRandom(0));
        double expected = (1 + 2 * Math.exp(-2)) / (1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5)));
        assertEquals(expected, out[1], 1e-6);
        assertEquals(0.50706, out[1], 1e-4);
        assertEquals(out[0], out[2], 0f);
    }

    @Test
    void shouldAddSeededClippedNoiseOfTheSeverityStd() {
        float[] grey = new float[4096];
        java.util.Arrays.fill(grey, 0.5f);
        float[] a = CorruptionRobustness.apply(CorruptionRobustness.Corruption.GAUSSIAN_NOISE, 5, grey, 1, 64, 64,
                new SplittableRandom(9));
        float[] b = CorruptionRobustness.apply(CorruptionRobustness.Corruption.GAUSSIAN_NOISE, 5, grey, 1, 64, 64,
                new SplittableRandom(9));
        assertArrayEquals(a, b);
        double s = 0;
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
            s += (v - 0.5) * (v - 0.5);
        }
        // std 0.10 at severity 5; 4096 samples -> relative standard error of the std ~ 1.1%
        assertEquals(0.10, Math.sqrt(s / a.length), 0.005);
    }
}
