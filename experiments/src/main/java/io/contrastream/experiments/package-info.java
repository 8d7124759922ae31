/**
 * Whole experiments in one JVM. Continual learning: {@link io.contrastream.experiments.ContinualExperimentConfig}
 * describes a class-incremental run, {@link io.contrastream.experiments.ContinualRun} trains it task after task from
 * a {@link io.contrastream.experiments.TaskFeed} (in memory: {@link io.contrastream.experiments.InMemoryTaskFeed})
 * with rehearsal from a replay buffer, evaluates nearest-mean-of-exemplars over the buffer after each task, and
 * {@link io.contrastream.experiments.ContinualReport} writes the accuracy matrix and summary metrics as JSON and CSV.
 */
package io.contrastream.experiments;
