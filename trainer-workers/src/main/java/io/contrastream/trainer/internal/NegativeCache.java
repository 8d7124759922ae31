package io.contrastream.trainer.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A bounded cache of the raw pixels and label of samples the trainer has trained, by sample id, from which explicit
 * negatives are drawn. When full, the sample trained least recently is evicted (training a cached sample again
 * refreshes it). Labelled samples only: negatives are chosen by label. Besides lookup by id it offers "the
 * {@code k}-th cached sample whose label differs from {@code label}", the deterministic basis of seeded random fills.
 * Not thread-safe: the training loop writes it between steps, the step reads it while the loop waits.
 */
public final class NegativeCache {

    /** A cached sample; {@code pixels} is {@code C*H*W} values, owned by the cache (do not modify). */
    public record Cached(String sampleId, long label, float[] pixels) {
    }

    private static final class Slot {
        final Cached sample;
        int position;

        Slot(Cached sample) {
            this.sample = sample;
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Slot> byId = new LinkedHashMap<>();
    private final TreeMap<Long, List<Slot>> byLabel = new TreeMap<>();

    public NegativeCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("NegativeCache capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Stores (or refreshes) a sample as the most recently trained one, evicting the least recent beyond capacity. */
    public void put(String sampleId, long label, float[] pixels) {
        if (label < 0) {
            throw new IllegalArgumentException("NegativeCache stores labelled samples only; sample " + sampleId
                    + " has label " + label);
        }
        Slot old = byId.remove(sampleId);
        if (old != null) {
            unindex(old);
        }
        Slot slot = new Slot(new Cached(sampleId, label, pixels));
        List<Slot> bucket = byLabel.computeIfAbsent(label, l -> new ArrayList<>());
        slot.position = bucket.size();
        bucket.add(slot);
        byId.put(sampleId, slot);
        Iterator<Map.Entry<String, Slot>> eldest = byId.entrySet().iterator();
        while (byId.size() > capacity) {
            Slot evicted = eldest.next().getValue();
            eldest.remove();
            unindex(evicted);
        }
    }

    private void unindex(Slot slot) {
        List<Slot> bucket = byLabel.get(slot.sample.label());
        Slot last = bucket.remove(bucket.size() - 1);
        if (last != slot) {
            bucket.set(slot.position, last);
            last.position = slot.position;
        }
        if (bucket.isEmpty()) {
            byLabel.remove(slot.sample.label());
        }
    }

    public Optional<Cached> get(String sampleId) {
        Slot slot = byId.get(sampleId);
        return slot == null ? Optional.empty() : Optional.of(slot.sample);
    }

    public int size() {
        return byId.size();
    }

    /** Cached samples whose label is not {@code label}. */
    public int countOtherThan(long label) {
        List<Slot> bucket = byLabel.get(label);
        return byId.size() - (bucket == null ? 0 : bucket.size());
    }

    /**
     * The {@code index}-th cached sample whose label is not {@code label}, counting through the labels in ascending
     * order; {@code 0 <= index < countOtherThan(label)}.
     */
    public Cached otherThan(long label, int index) {
        int remaining = index;
        for (Map.Entry<Long, List<Slot>> e : byLabel.entrySet()) {
            if (e.getKey() == label) {
                continue;
            }
            if (remaining < e.getValue().size()) {
                return e.getValue().get(remaining).sample;
            }
            remaining -= e.getValue().size();
        }
        throw new IndexOutOfBoundsException("index " + index + " of " + countOtherThan(label)
                + " cached samples with a label other than " + label);
    }
}
