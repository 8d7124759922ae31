package io.contrastream.data.augment;

/**
 * Per-thread scratch buffers of the augmentation ops, so that making a view allocates only its output. Each slot
 * belongs to one user (named below) and grows to the largest size asked for; contents are not cleared between uses.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private float[] pipeline = new float[0];
    private float[] transientA = new float[0];
    private float[] transientB = new float[0];
    private float[] rows = new float[0];
    private float[] weights = new float[0];
    private float[] normals = new float[0];
    private int[] indices = new int[0];
    private final float[][] planes = {new float[0], new float[0], new float[0]};
    private float[][] rowArrays = new float[0][];
    private final float[][] shifted = {new float[0], new float[0], new float[0], new float[0], new float[0],
        new float[0]};

    private Scratch() {
    }

    /** The calling thread's buffers. */
    static Scratch get() {
        return LOCAL.get();
    }

    /** The pipeline's second image buffer, at least {@code n} long. */
    float[] pipeline(int n) {
        if (pipeline.length < n) {
            pipeline = new float[n];
        }
        return pipeline;
    }

    /**
     * The first of the two image buffers of {@link AugmentationPipeline#applyTransient}, exactly {@code n} long (its
     * result is one of them and is handed to the caller as is).
     */
    float[] transientA(int n) {
        if (transientA.length != n) {
            transientA = new float[n];
        }
        return transientA;
    }

    /** The second image buffer of {@link AugmentationPipeline#applyTransient}, exactly {@code n} long. */
    float[] transientB(int n) {
        if (transientB.length != n) {
            transientB = new float[n];
        }
        return transientB;
    }

    /** Intermediate rows of one op, at least {@code n} long. */
    float[] rows(int n) {
        if (rows.length < n) {
            rows = new float[n];
        }
        return rows;
    }

    /** Per-column or per-row weights of one op, at least {@code n} long. */
    float[] weights(int n) {
        if (weights.length < n) {
            weights = new float[n];
        }
        return weights;
    }

    /** Normal variates of the noise, at least {@code n} long. */
    float[] normals(int n) {
        if (normals.length < n) {
            normals = new float[n];
        }
        return normals;
    }

    /** Padded plane {@code k} (0, 1 or 2) of the blur, at least {@code n} long. */
    float[] plane(int k, int n) {
        if (planes[k].length < n) {
            planes[k] = new float[n];
        }
        return planes[k];
    }

    /** Shifted copy {@code k} (0 to 5) of a plane for the narrow blur's taps, at least {@code n} long. */
    float[] shifted(int k, int n) {
        if (shifted[k].length < n) {
            shifted[k] = new float[n];
        }
        return shifted[k];
    }

    /**
     * At least {@code count} separate row arrays of one op, the first {@code count} each at least {@code n} long
     * (separate arrays, so that a loop reading two rows reads each at one index and can be vectorised).
     */
    float[][] rowArrays(int count, int n) {
        if (rowArrays.length < count) {
            rowArrays = java.util.Arrays.copyOf(rowArrays, count);
        }
        for (int i = 0; i < count; i++) {
            if (rowArrays[i] == null || rowArrays[i].length < n) {
                rowArrays[i] = new float[n];
            }
        }
        return rowArrays;
    }

    /** Per-column or per-row indices of one op, at least {@code n} long. */
    int[] indices(int n) {
        if (indices.length < n) {
            indices = new int[n];
        }
        return indices;
    }
}
