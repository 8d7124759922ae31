package io.contrastream.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.contrastream.model.GradientLock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A garbage collection between a loss's forward and backward pass must not change its gradient. DJL's number
 * overloads ({@code x.div(0.5f)}) back the number with a Java direct buffer that PyTorch's autograd still reads in
 * backward but that nothing keeps alive once DJL closes the 0-d array: collected and reused memory turned the
 * gradient into garbage (a rare {@code NON_FINITE_GRADIENT} skip of a healthy step). Here the freed memory is
 * collected and overwritten on purpose between forward and backward, and the gradient must equal an undisturbed one
 * bit for bit.
 */
class NumberOperandLifetimeTest {
    private static final int VIEWS = 2;
    private static final int SAMPLES = 6;
    private static final int DIM = 4;

    @ParameterizedTest
    @ValueSource(strings = {"infonce", "multiview-infonce", "dcl", "supcon", "mw", "distillation"})
    void gradientShouldNotDependOnGarbageCollectionBeforeBackward(String name) {
        Random random = new Random(11);
        float[] values = new float[VIEWS * SAMPLES * DIM];
        float[] teacher = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
            teacher[i] = (float) random.nextGaussian();
        }
        long[] labels = {0, 1, 0, 2, 1, 2};
        Supplier<ContrastiveLoss> loss = () -> "distillation".equals(name)
                ? new RelationDistillationLoss(new InfoNceLoss(0.5f), 0.5f, 0.2f, 0.1f)
                : Losses.create(LossConfig.of(name, 0.2f));
        float[] undisturbed = gradient(loss.get(), values, teacher, labels, false);
        for (float g : undisturbed) {
            assertTrue(Float.isFinite(g) && Math.abs(g) < 100f, name + ": reference gradient " + g);
        }
        // several rounds: whether the collector frees a given buffer in time is up to the JVM
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(undisturbed, gradient(loss.get(), values, teacher, labels, true),
                    name + ": gradient after a collection between forward and backward (round " + round + ")");
        }
    }

    private static float[] gradient(ContrastiveLoss loss, float[] values, float[] teacher, long[] labels,
                                    boolean collectBeforeBackward) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(VIEWS * SAMPLES, DIM);
            NDArray projections = manager.create(values, shape);
            projections.setRequiresGradient(true);
            List<ByteBuffer> overwritten = new ArrayList<>();
            try (GradientCollector collector = GradientLock.open(Engine.getInstance()::newGradientCollector)) {
                // the loss's arrays live in a child of the leaf's manager, as a training step's do
                NDManager step = manager.newSubManager();
                NDArray x = step.create(values, shape);
                NDArray leaf = x.sub(x).add(projections);
                NDArray value = loss.compute(LossInput.builder().setProjections(leaf).setViews(VIEWS)
                        .optLabels(labels).optTeacherProjections(step.create(teacher, shape)).build());
                if (collectBeforeBackward) {
                    overwriteFreedMemory(overwritten);
                }
                collector.backward(value);
                overwritten.clear();
                float[] gradient = projections.getGradient().toFloatArray();
                step.close();
                return gradient;
            }
        }
    }

    /** Collects garbage (freeing unreachable direct buffers), then fills small fresh native allocations with 1e-26. */
    private static void overwriteFreedMemory(List<ByteBuffer> keep) {
        System.gc();
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (int k = 0; k < 3000; k++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (k % 3) * 4).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(1e-26f);
            }
            keep.add(b);
        }
    }
}
