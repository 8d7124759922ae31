package io.contrastream.experiments;

/** How test samples are classified from backbone features at the end of each task, always over the buffer only. */
public enum EvaluationClassifier {
    /** iCaRL nearest-mean-of-exemplars over the replay buffer (Rebuffi et al. 2017). */
    NME,
    /** Weighted k-nearest neighbours over the replay buffer (Wu et al. 2018). */
    KNN
}
