package io.contrastream.trainer;

/**
 * A trainer's state after one step.
 *
 * @param step             steps applied
 * @param samplesPerSecond samples trained per second over the last second or so
 * @param loss             loss of this step
 * @param learningRate     learning rate of this step
 * @param device           device the engine trains on
 * @param taskId           current task
 * @param bufferedSamples  complete and incomplete samples held, not yet trained
 * @param samplesTrained   samples trained in total
 * @param dropped          samples given up (incomplete after the timeout, or a lone sample at a task end)
 * @param deadLettered     records sent (or queued to send with the next checkpoint) to the dead-letter topic
 */
public record TrainerProgress(long step, double samplesPerSecond, float loss, float learningRate, String device,
                              int taskId, int bufferedSamples, long samplesTrained, long dropped,
                              long deadLettered) {
}
