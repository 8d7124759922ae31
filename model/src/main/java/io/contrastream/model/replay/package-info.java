/**
 * Episodic memory for class-incremental continual learning: {@link io.contrastream.model.replay.ReplayBuffer} keeps a
 * bounded, seeded, persistable set of raw samples ({@link io.contrastream.model.replay.ReplayPolicy} reservoir or
 * class-balanced). It lives here, not in the trainer, because the evaluator reads a checkpoint's buffer too
 * (nearest-class-mean over the exemplars the learner keeps).
 */
package io.contrastream.model.replay;
