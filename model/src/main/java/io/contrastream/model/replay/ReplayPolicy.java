package io.contrastream.model.replay;

/** Which stored sample a new one replaces once a {@link ReplayBuffer} is full. */
public enum ReplayPolicy {
    /**
     * Reservoir sampling, Vitter 1985, "Random Sampling with a Reservoir" (ACM TOMS 11(1)), Algorithm R: the
     * {@code n}-th sample seen replaces a uniformly chosen slot with probability {@code capacity / n}, so every
     * sample of the stream is stored with the same probability {@code capacity / seen}.
     */
    RESERVOIR,
    /**
     * Class-balanced greedy sampling (Prabhu, Torr and Dokania 2020, "GDumb: A Simple Approach that Questions Our
     * Progress in Continual Learning"; Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning"):
     * while not full every sample is stored; once full, a sample of class {@code c} replaces a uniformly chosen
     * slot of the currently largest class (ties broken uniformly) unless {@code c} is itself a largest class, in
     * which case it is skipped. Invariant, at all times: every class either has at least {@code max - 1} stored
     * samples or has never lost one (all its offered samples are stored), so classes limited by the capacity are
     * within one of each other.
     */
    CLASS_BALANCED
}
