package io.contrastream.experiments;

/**
 * What a continual run trains on, fixing the reference points of class-incremental results (van de Ven and Tolias
 * 2019, "Three scenarios for continual learning": fine-tuning is the lower bound, joint training the upper bound).
 */
public enum BaselineMode {
    /** Rehearsal: every step mixes the current batch with samples replayed from the buffer (the method). */
    REPLAY,
    /**
     * No replay: the buffer is cleared at every task start and never replayed, so it holds only the current task's
     * samples and nearest-mean classification can only predict the current classes (the lower bound).
     */
    FINETUNE,
    /** All classes of the schedule as one task, trained with the same epochs and budget (the upper bound). */
    JOINT
}
