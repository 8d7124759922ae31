package io.contrastream.trainer.replay;

import io.contrastream.model.replay.ReplaySample;
import java.util.List;

/**
 * A composed batch before augmentation: the current-task samples followed by the replayed ones.
 *
 * @param samples       current samples first, then replayed samples
 * @param rehearsalMask {@code rehearsalMask[i]} is true when {@code samples.get(i)} was replayed (not copied;
 *                      owned by the record)
 * @param draw          the draw counter the composition was made with (seeds its fresh views)
 */
public record Composition(List<ReplaySample> samples, boolean[] rehearsalMask, long draw) {

    /** Checks that the mask covers the samples. */
    public Composition {
        samples = List.copyOf(samples);
        if (rehearsalMask.length != samples.size()) {
            throw new IllegalArgumentException("Composition.rehearsalMask has " + rehearsalMask.length
                    + " entries for " + samples.size() + " samples");
        }
    }

    /** Number of replayed samples. */
    public int replayed() {
        int n = 0;
        for (boolean b : rehearsalMask) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
