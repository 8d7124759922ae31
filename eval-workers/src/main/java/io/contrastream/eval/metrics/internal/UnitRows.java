package io.contrastream.eval.metrics.internal;

/**
 * Row-major, flat copy of an embedding matrix with every row scaled to unit L2 norm, so a dot product of two rows is
 * their cosine similarity. Zero rows stay zero (cosine 0 to everything) rather than becoming NaN.
 *
 * @param data  rows * dim floats, row i at [i * dim, (i + 1) * dim)
 * @param rows  number of samples
 * @param dim   embedding dimension
 */
public record UnitRows(float[] data, int rows, int dim) {

    /** Validates shape; {@code data} is used as is (not copied). */
    public UnitRows {
        if (rows < 0 || dim <= 0 || data.length != (long) rows * dim) {
            throw new IllegalArgumentException("UnitRows: data length " + data.length + " != rows " + rows
                    + " * dim " + dim);
        }
    }

    /**
     * Copies and L2-normalises {@code x}.
     *
     * @param x    embeddings, rows = samples, all rows the same non-zero length
     * @param what name used in error messages, e.g. "test embeddings"
     * @return the normalised copy
     */
    public static UnitRows of(float[][] x, String what) {
        if (x.length == 0) {
            throw new IllegalArgumentException(what + ": no rows; pass at least one embedding");
        }
        int dim = x[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException(what + ": row 0 has length 0");
        }
        float[] data = new float[x.length * dim];
        for (int i = 0; i < x.length; i++) {
            float[] row = x[i];
            if (row.length != dim) {
                throw new IllegalArgumentException(what + ": row " + i + " has length " + row.length
                        + " but row 0 has " + dim + "; all embeddings must have the same dimension");
            }
            double ss = 0;
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + ": row " + i + " contains a non-finite value " + v);
                }
                ss += (double) v * v;
            }
            float inv = ss > 0 ? (float) (1.0 / Math.sqrt(ss)) : 0f;
            int off = i * dim;
            for (int k = 0; k < dim; k++) {
                data[off + k] = row[k] * inv;
            }
        }
        return new UnitRows(data, x.length, dim);
    }

    /** Cosine similarity of row {@code i} of this and row {@code j} of {@code other}. */
    public float dot(int i, UnitRows other, int j) {
        float[] a = data;
        float[] b = other.data;
        int oa = i * dim;
        int ob = j * dim;
        float s = 0f;
        for (int k = 0; k < dim; k++) {
            s += a[oa + k] * b[ob + k];
        }
        return s;
    }

    /** Squared Euclidean distance between row {@code i} and row {@code j} of this matrix. */
    public double squaredDistance(int i, int j) {
        int oa = i * dim;
        int ob = j * dim;
        double s = 0;
        for (int k = 0; k < dim; k++) {
            double d = (double) data[oa + k] - data[ob + k];
            s += d * d;
        }
        return s;
    }
}
