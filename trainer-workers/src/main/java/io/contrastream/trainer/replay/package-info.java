/**
 * Rehearsal for class-incremental continual learning: {@link io.contrastream.trainer.replay.ReplayBuffer} keeps a
 * bounded, seeded, persistable episodic memory of raw samples ({@link io.contrastream.trainer.replay.ReplayPolicy}
 * reservoir or class-balanced); {@link io.contrastream.trainer.replay.BatchComposer} mixes freshly augmented replayed
 * samples into current-task {@link io.contrastream.trainer.engine.TrainBatch}es with a rehearsal mask.
 */
package io.contrastream.trainer.replay;
