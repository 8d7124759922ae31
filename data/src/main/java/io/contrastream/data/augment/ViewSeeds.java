package io.contrastream.data.augment;

import io.contrastream.data.internal.Mix64;
import java.nio.charset.StandardCharsets;

/**
 * Derives the seed of one augmented view so that any view can be recreated bit-for-bit from
 * {@code (baseSeed, sampleId, viewIndex, epoch)}.
 *
 * <p>Algorithm (all arithmetic on 64-bit two's complement integers, {@code >>>} is a logical shift):
 * <pre>
 *   mix(z):  z += 0x9E3779B97F4A7C15
 *            z  = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *            z  = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *            return z ^ (z >>> 31)                       // SplitMix64 finalizer
 *   fnv(s):  h = 0xCBF29CE484222325; for each UTF-8 byte b of s: h = (h ^ b) * 0x100000001B3   // FNV-1a 64
 *   derive:  h = mix(baseSeed)
 *            h = mix(h ^ fnv(sampleId))
 *            h = mix(h ^ viewIndex)                      // int sign-extended to 64 bits
 *            h = mix(h ^ epoch)                          // int sign-extended to 64 bits
 *            return h
 * </pre>
 * The result seeds {@link java.util.SplittableRandom} in {@link AugmentationPipeline#apply}.
 */
public final class ViewSeeds {

    private ViewSeeds() {
    }

    /** The seed of view {@code viewIndex} of sample {@code sampleId} in {@code epoch}. */
    public static long derive(long baseSeed, String sampleId, int viewIndex, int epoch) {
        long h = Mix64.mix(baseSeed);
        h = Mix64.mix(h ^ fnv1a64(sampleId));
        h = Mix64.mix(h ^ viewIndex);
        return Mix64.mix(h ^ epoch);
    }

    /** FNV-1a 64-bit hash of the UTF-8 bytes of {@code s}. */
    static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }
}
