package io.contrastream.experiments;

import io.contrastream.data.Dataset;
import io.contrastream.data.Example;
import io.contrastream.data.Image;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.data.schedule.ClassIndex;
import io.contrastream.data.schedule.Task;
import io.contrastream.data.schedule.TaskStream;
import io.contrastream.model.replay.ReplaySample;
import io.contrastream.trainer.engine.TrainBatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * A {@link TaskFeed} over a dataset in memory that streams what one producer instance would: the samples of a task
 * in {@link TaskStream} order (seeded shuffle per epoch), view {@code v} of sample {@code id} in epoch {@code e}
 * augmented with seed {@code ViewSeeds.derive(seed, id, v, e)}, grouped into batches of {@code batchSize}
 * consecutive draws (the last batch of a task may be smaller).
 */
public final class InMemoryTaskFeed implements TaskFeed {
    private final Dataset train;
    private final ClassIndex index;
    private final int epochs;
    private final int batchSize;
    private final int views;
    private final AugmentationPipeline pipeline;
    private final long seed;

    /**
     * @param train     training split
     * @param epochs    passes over each task
     * @param batchSize samples per batch
     * @param views     views per sample
     * @param pipeline  augmentation recipe
     * @param seed      seeds the stream order and the views
     */
    public InMemoryTaskFeed(Dataset train, int epochs, int batchSize, int views, AugmentationPipeline pipeline,
                            long seed) {
        if (epochs < 1 || batchSize < 1 || views < 1) {
            throw new IllegalArgumentException("InMemoryTaskFeed epochs " + epochs + ", batchSize " + batchSize
                    + " and views " + views + " must all be >= 1");
        }
        this.train = train;
        this.index = ClassIndex.of(train);
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.views = views;
        this.pipeline = pipeline;
        this.seed = seed;
    }

    @Override
    public long expectedSamples(Task task) {
        return (long) stream(task).samplesPerEpoch() * epochs;
    }

    @Override
    public Iterator<FeedBatch> batches(Task task) {
        Iterator<TaskStream.Draw> draws = stream(task).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return draws.hasNext();
            }

            @Override
            public FeedBatch next() {
                if (!draws.hasNext()) {
                    throw new NoSuchElementException("Task " + task.id() + " feed is exhausted");
                }
                List<TaskStream.Draw> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && draws.hasNext()) {
                    batch.add(draws.next());
                }
                return build(task, batch);
            }
        };
    }

    private TaskStream stream(Task task) {
        return new TaskStream(index, task, epochs, 0, 1, seed);
    }

    private FeedBatch build(Task task, List<TaskStream.Draw> draws) {
        int n = draws.size();
        Example first = train.get(draws.get(0).sampleIndex());
        int size = first.image().size();
        int[] shape = first.image().shape();
        float[] pixels = new float[views * n * size];
        long[] labels = new long[n];
        ReplaySample[] samples = new ReplaySample[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            TaskStream.Draw d = draws.get(i);
            Example ex = train.get(d.sampleIndex());
            samples[i] = new ReplaySample(ex.sampleId(), ex.label(), task.id(), ex.image());
            labels[i] = ex.label();
            for (int v = 0; v < views; v++) {
                Image view = pipeline.apply(ex.image(), ViewSeeds.derive(seed, ex.sampleId(), v, d.epoch()));
                System.arraycopy(view.pixels(), 0, pixels, (v * n + i) * size, size);
            }
        });
        TrainBatch batch = TrainBatch.builder().setViews(views).setBatchSize(n).setSampleShape(shape)
                .setPixels(pixels).optLabels(labels).build();
        return new FeedBatch(draws.get(0).epoch(), List.of(samples), batch);
    }
}
