package io.contrastream.producers;

import io.contrastream.data.Dataset;
import io.contrastream.data.augment.AugmentationPipeline;
import io.contrastream.data.augment.AugmentationSpec;
import io.contrastream.data.schedule.TaskSchedule;
import java.util.List;

/**
 * Configuration of a {@link ViewProducer}; build it with {@link ViewProducer#builder()}.
 *
 * @param runId        run id (key of the control events, written into every view)
 * @param dataset      the dataset split to stream
 * @param schedule     class-incremental schedule over the dataset's classes
 * @param epochs       epochs per task (>= 1)
 * @param viewCount    V, views per sample per epoch (>= 2)
 * @param augmentation the augmentation recipe
 * @param seed         augmentation and shuffle seed
 * @param rateLimit    views per second, 0 = unlimited
 * @param instance     this instance in [0, instances)
 * @param instances    number of producer instances sharing the dataset (>= 1)
 * @param limitPerTask samples per task per epoch over all instances (the task's first ones by index), 0 = all
 * @param workers      augmentation threads (>= 1)
 * @param includeOriginal send the un-augmented sample with view 0 ({@code AugmentedView.original}), for trainers
 *                     that keep a replay buffer of raw samples
 */
public record ViewProducerConfig(String runId, Dataset dataset, TaskSchedule schedule, int epochs, int viewCount,
                                 List<AugmentationSpec> augmentation, long seed, double rateLimit, int instance,
                                 int instances, int limitPerTask, int workers,
                                 boolean includeOriginal) {

    /** Validates; the recipe is checked by building its pipeline. */
    public ViewProducerConfig {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("ViewProducer runId must not be blank");
        }
        if (dataset == null) {
            throw new IllegalArgumentException("ViewProducer dataset is required (setDataset)");
        }
        if (schedule == null) {
            schedule = TaskSchedule.split(dataset.numClasses(), Math.min(5, dataset.numClasses()));
        }
        if (schedule.numClasses() != dataset.numClasses()) {
            throw new IllegalArgumentException("ViewProducer schedule is for " + schedule.numClasses()
                    + " classes but dataset " + dataset.name() + " has " + dataset.numClasses());
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("ViewProducer epochs must be >= 1, got " + epochs);
        }
        if (viewCount < 2) {
            throw new IllegalArgumentException("ViewProducer viewCount must be >= 2 (contrastive learning needs two"
                    + " views of a sample), got " + viewCount);
        }
        augmentation = List.copyOf(augmentation == null ? List.of() : augmentation);
        AugmentationPipeline.of(augmentation);
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
            throw new IllegalArgumentException("ViewProducer rateLimit must be >= 0 views/s (0 = unlimited), got "
                    + rateLimit);
        }
        if (instances < 1 || instance < 0 || instance >= instances) {
            throw new IllegalArgumentException("ViewProducer instance must be in [0, instances), got instance "
                    + instance + " of " + instances);
        }
        if (limitPerTask < 0) {
            throw new IllegalArgumentException("ViewProducer limitPerTask must be >= 0 (0 = all), got " + limitPerTask);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("ViewProducer workers must be >= 1, got " + workers);
        }
    }
}
