/**
 * Rehearsal in the trainer: {@link io.contrastream.trainer.replay.BatchComposer} mixes freshly augmented samples
 * from a {@link io.contrastream.model.replay.ReplayBuffer} into current-task
 * {@link io.contrastream.trainer.engine.TrainBatch}es with a rehearsal mask.
 */
package io.contrastream.trainer.replay;
