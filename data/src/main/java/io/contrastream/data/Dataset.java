package io.contrastream.data;

import java.util.List;

/**
 * A random-access, immutable split of a labelled image dataset.
 *
 * <p>Implementations are thread-safe for reads.
 */
public interface Dataset {

    /** Dataset name, e.g. {@code fashion-mnist}. */
    String name();

    /** Split name: {@code train} or {@code test}. */
    String split();

    /** Number of examples. */
    int size();

    /** Number of classes; labels are in [0, numClasses). */
    default int numClasses() {
        return classNames().size();
    }

    /** Human readable class names, indexed by label. */
    List<String> classNames();

    /** Image channels. */
    int channels();

    /** Image height. */
    int height();

    /** Image width. */
    int width();

    /** Label of example {@code i} without decoding its image. */
    int label(int i);

    /** Example {@code i}, decoded to floats. */
    Example get(int i);

    /**
     * Whether every image {@link #get} returns has all its values in [0, 1] by construction (for example 8-bit
     * pixels divided by 255), so that a consumer validating samples may skip {@link Image#checkRange()}. Default
     * false: the values have to be checked.
     */
    default boolean imagesInUnitRange() {
        return false;
    }

    /** Stable sample id of example {@code i}: {@code <name>/<split>/<index zero-padded to 6>}. */
    default String sampleId(int i) {
        return sampleId(name(), split(), i);
    }

    /**
     * Formats the stable sample id used across the project: {@code name + "/" + split + "/" +
     * String.format("%06d", index)}, without {@code String.format} (it parses its pattern on every call, and ids are
     * made once per sample sent).
     */
    static String sampleId(String name, String split, int index) {
        if (index < 0) {
            return name + "/" + split + "/" + String.format("%06d", index);
        }
        String digits = Integer.toString(index);
        StringBuilder id = new StringBuilder(name.length() + split.length() + 2 + Math.max(6, digits.length()));
        id.append(name).append('/').append(split).append('/');
        for (int i = digits.length(); i < 6; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }
}
