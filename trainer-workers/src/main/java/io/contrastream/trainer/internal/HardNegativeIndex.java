package io.contrastream.trainer.internal;

import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.HardNegativeSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest mined candidates per anchor of one run: for every anchor the candidate ids of the set with the highest
 * {@code minedWithStep} seen so far (a later set of the same step replaces an earlier one, as compaction would).
 * Sets of other runs are ignored. It holds at most one id list per anchor of the run, i.e. it grows with the
 * dataset, not with time. Used from the training loop's thread only.
 */
public final class HardNegativeIndex {
    private record Entry(long minedWithStep, List<String> candidates) {
    }

    private final String runId;
    private final Map<String, Entry> byAnchor = new HashMap<>();
    private long accepted;
    private long stale;

    public HardNegativeIndex(String runId) {
        this.runId = runId;
    }

    /** Takes {@code set} if it belongs to this run and is not older than the anchor's current set. */
    public void accept(HardNegativeSet set) {
        if (!runId.equals(set.getRunId())) {
            return;
        }
        Entry current = byAnchor.get(set.getAnchorId());
        if (current != null && current.minedWithStep() > set.getMinedWithStep()) {
            stale++;
            return;
        }
        List<String> ids = new ArrayList<>(set.getCandidates().size());
        for (Candidate candidate : set.getCandidates()) {
            ids.add(candidate.getSampleId());
        }
        byAnchor.put(set.getAnchorId(), new Entry(set.getMinedWithStep(), List.copyOf(ids)));
        accepted++;
    }

    /** The anchor's candidate ids in the set's order (most similar first, as mined); empty when none is known. */
    public List<String> candidates(String anchorId) {
        Entry entry = byAnchor.get(anchorId);
        return entry == null ? List.of() : entry.candidates();
    }

    /** Anchors with a set. */
    public int anchors() {
        return byAnchor.size();
    }

    /** Sets taken so far, and sets ignored because the anchor already had a newer one. */
    public long accepted() {
        return accepted;
    }

    public long stale() {
        return stale;
    }
}
