package io.contrastream.producers;

import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationSpec;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.schemas.AugmentationStep;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.AugmentedViewWriter;
import io.contrastream.schemas.codec.AugmentedViewWriter.Float32Image;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the {@link AugmentedView}s of a sample; the one implementation behind both the {@link ViewProducer} and the
 * Streams augmentation stage ({@link AugmentTopology}), so a view is the same bytes whichever path made it.
 *
 * <p>View {@code v} of sample {@code id} in epoch {@code e} is {@code pipeline.apply(image, viewSeed)} with
 * {@code viewSeed = ViewSeeds.derive(baseSeed, id, v, e)}; its tensor is FLOAT32 little-endian CHW
 * ({@link Image#toFloat32LE()}) with shape {@code [C, H, W]}; its recipe is the pipeline's specs as
 * {@link AugmentationStep}s. {@link #recreate(AugmentedView, Image)} inverts this from the view alone.
 * {@link #encodedView} gives a view's encoded bytes directly (what the {@link ViewProducer} sends). Thread-safe.
 */
public final class ViewFactory {

    private final String runId;
    private final AugmentationPipeline pipeline;
    private final List<AugmentationStep> recipe;
    private final long baseSeed;
    private final boolean includeOriginal;
    private final AugmentedViewWriter writer;

    /**
     * @param runId    run id written into every view
     * @param pipeline the augmentation pipeline (its specs become the recipe)
     * @param baseSeed the producer's augmentation seed
     */
    public ViewFactory(String runId, AugmentationPipeline pipeline, long baseSeed) {
        this(runId, pipeline, baseSeed, false);
    }

    /**
     * @param includeOriginal also put the un-augmented image into view 0 ({@code AugmentedView.original}), for
     *                        trainers that keep a replay buffer of raw samples
     */
    public ViewFactory(String runId, AugmentationPipeline pipeline, long baseSeed, boolean includeOriginal) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("ViewFactory runId must not be blank");
        }
        if (pipeline == null) {
            throw new IllegalArgumentException("ViewFactory pipeline must not be null");
        }
        this.runId = runId;
        this.pipeline = pipeline;
        this.recipe = toSteps(pipeline.specs());
        this.baseSeed = baseSeed;
        this.includeOriginal = includeOriginal;
        this.writer = new AugmentedViewWriter(runId, recipe, baseSeed);
    }

    /** The run id. */
    public String runId() {
        return runId;
    }

    /** The base seed. */
    public long baseSeed() {
        return baseSeed;
    }

    /** The recipe written into every view (unmodifiable). */
    public List<AugmentationStep> recipe() {
        return recipe;
    }

    /**
     * One view.
     *
     * @param dataset   dataset (or source) name written into the view
     * @param sampleId  the sample id (also the Kafka key)
     * @param label     label or {@code null} when unlabelled
     * @param taskId    task id or {@code null}
     * @param image     the original image (not modified)
     * @param viewIndex view index in [0, viewCount)
     * @param viewCount V
     * @param epoch     epoch, 0-based
     */
    public AugmentedView view(String dataset, String sampleId, Integer label, Integer taskId, Image image,
                              int viewIndex, int viewCount, int epoch) {
        return view(dataset, sampleId, label, taskId, image, viewIndex, viewCount, epoch, Instant.now());
    }

    AugmentedView view(String dataset, String sampleId, Integer label, Integer taskId, Image image, int viewIndex,
                       int viewCount, int epoch, Instant producedAt) {
        long viewSeed = viewSeed(sampleId, viewIndex, viewCount, epoch);
        Image augmented = pipeline.apply(image, viewSeed);
        // All-args constructors rather than builders: a builder resolves schema defaults per instance, which
        // shows in profiles at producer rates; every field is set here.
        Tensor original = includeOriginal && viewIndex == 0 ? tensor(image) : null;
        return new AugmentedView(runId, sampleId, viewIndex, viewCount, epoch, label, taskId, dataset, tensor(augmented),
                recipe, baseSeed, viewSeed, producedAt, original);
    }

    /**
     * One view, encoded: the same bytes as {@code EventCodec.of(AugmentedView.class).encode(view(...))} with the same
     * arguments (and the same {@code producedAt} millisecond), made without the intermediate event object.
     */
    public byte[] encodedView(String dataset, String sampleId, Integer label, Integer taskId, Image image,
                              int viewIndex, int viewCount, int epoch) {
        return encodedView(dataset, sampleId, label, taskId, image, viewIndex, viewCount, epoch, Instant.now());
    }

    byte[] encodedView(String dataset, String sampleId, Integer label, Integer taskId, Image image, int viewIndex,
                       int viewCount, int epoch, Instant producedAt) {
        long viewSeed = viewSeed(sampleId, viewIndex, viewCount, epoch);
        // the thread's buffer is only read by the writer below, before this thread augments again
        float[] augmented = pipeline.applyTransient(image, viewSeed);
        Float32Image original = includeOriginal && viewIndex == 0 ? float32(image) : null;
        return writer.write(sampleId, viewIndex, viewCount, epoch, label, taskId, dataset,
                new Float32Image(image.channels(), image.height(), image.width(), augmented), viewSeed, producedAt,
                original);
    }

    private long viewSeed(String sampleId, int viewIndex, int viewCount, int epoch) {
        if (viewIndex < 0 || viewIndex >= viewCount) {
            throw new IllegalArgumentException("viewIndex " + viewIndex + " outside [0, " + viewCount + ") for "
                    + sampleId);
        }
        return ViewSeeds.derive(baseSeed, sampleId, viewIndex, epoch);
    }

    private static Float32Image float32(Image image) {
        return new Float32Image(image.channels(), image.height(), image.width(), image.pixels());
    }

    private static Tensor tensor(Image image) {
        return new Tensor(DType.FLOAT32, List.of(image.channels(), image.height(), image.width()),
                ByteBuffer.wrap(image.toFloat32LE()));
    }

    /** All {@code viewCount} views of a sample, in view order. */
    public List<AugmentedView> views(String dataset, String sampleId, Integer label, Integer taskId, Image image,
                                     int viewCount, int epoch) {
        List<AugmentedView> out = new ArrayList<>(viewCount);
        for (int v = 0; v < viewCount; v++) {
            out.add(view(dataset, sampleId, label, taskId, image, v, viewCount, epoch));
        }
        return out;
    }

    /**
     * Recreates a view's tensor bytes from the view's recipe and seeds and the original image: the same bytes as
     * {@code view.getTensor().getData()} when {@code original} is the image the view was made from.
     */
    public static byte[] recreate(AugmentedView view, Image original) {
        long expectedSeed = ViewSeeds.derive(view.getSeed(), view.getSampleId(), view.getViewIndex(), view.getEpoch());
        if (expectedSeed != view.getViewSeed()) {
            throw new IllegalArgumentException("view " + view.getSampleId() + "#" + view.getViewIndex()
                    + " has viewSeed " + view.getViewSeed() + " but ViewSeeds.derive gives " + expectedSeed
                    + "; the view was not made by ViewFactory");
        }
        return AugmentationPipeline.of(toSpecs(view.getRecipe())).apply(original, view.getViewSeed()).toFloat32LE();
    }

    static List<AugmentationStep> toSteps(List<AugmentationSpec> specs) {
        List<AugmentationStep> steps = new ArrayList<>(specs.size());
        for (AugmentationSpec s : specs) {
            steps.add(AugmentationStep.newBuilder().setName(s.name()).setProbability(s.probability())
                    // The spec's map is sorted by name; Map.copyOf would iterate in a per-JVM order, so the same
                    // recipe would encode to different bytes in different processes.
                    .setParams(s.params()).build());
        }
        return List.copyOf(steps);
    }

    static List<AugmentationSpec> toSpecs(List<AugmentationStep> steps) {
        List<AugmentationSpec> specs = new ArrayList<>(steps.size());
        for (AugmentationStep s : steps) {
            specs.add(new AugmentationSpec(s.getName(), s.getProbability(), s.getParams()));
        }
        return specs;
    }
}
