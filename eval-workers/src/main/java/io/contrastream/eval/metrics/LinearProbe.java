package io.contrastream.eval.metrics;

import io.contrastream.eval.metrics.internal.DenseLabels;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear evaluation protocol (Kolesnikov, Zhai, Beyer, "Revisiting Self-Supervised Visual Representation Learning",
 * CVPR 2019; Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations", ICML 2020):
 * a multinomial logistic regression on frozen embeddings. Features are standardised with the train mean and standard
 * deviation; the objective {@code (1/n) sum_i -log softmax(W x_i + b)[y_i] + (l2/2)||W||^2} is convex and minimised
 * by full-batch L-BFGS (Liu and Nocedal, "On the Limited Memory BFGS Method for Large Scale Optimization", Math.
 * Programming 1989; Nocedal and Wright, "Numerical Optimization", Alg. 7.4) with Armijo backtracking from a zero
 * start, so the fit is deterministic and needs no seed.
 */
public final class LinearProbe {

    private static final Logger LOG = LoggerFactory.getLogger(LinearProbe.class);

    /**
     * Probe hyper-parameters.
     *
     * @param l2            L2 penalty on the weights (not the bias), &gt;= 0
     * @param maxIterations L-BFGS iterations, &gt;= 1
     * @param tolerance     stop when the max-norm of the gradient falls below this, &gt; 0
     * @param history       L-BFGS memory, &gt;= 1
     */
    public record Config(double l2, int maxIterations, double tolerance, int history) {
        /** Validates. */
        public Config {
            if (!(l2 >= 0) || maxIterations < 1 || !(tolerance > 0) || history < 1) {
                throw new IllegalArgumentException("LinearProbe.Config: l2 " + l2 + " >= 0, maxIterations "
                        + maxIterations + " >= 1, tolerance " + tolerance + " > 0, history " + history + " >= 1");
            }
        }

        /** l2 1e-4, 200 iterations, tolerance 1e-5, history 10. */
        public static Config defaults() {
            return new Config(1e-4, 200, 1e-5, 10);
        }
    }

    /**
     * A fitted probe.
     *
     * @param classes    label of each output, ascending
     * @param weights    [classes][dim] weights acting on raw (unstandardised) embeddings
     * @param bias       [classes] bias acting on raw embeddings
     * @param iterations L-BFGS iterations run
     * @param loss       final objective value
     */
    public record Model(int[] classes, float[][] weights, float[] bias, int iterations, double loss) {

        /** Predicted label per row. */
        public int[] predict(float[][] x) {
            int[] out = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                float[] row = x[i];
                if (row.length != weights[0].length) {
                    throw new IllegalArgumentException("LinearProbe: row " + i + " has dimension " + row.length
                            + " but the probe was fitted on " + weights[0].length);
                }
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes.length; c++) {
                    double s = bias[c];
                    float[] w = weights[c];
                    for (int k = 0; k < row.length; k++) {
                        s += w[k] * row[k];
                    }
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                out[i] = classes[best];
            }
            return out;
        }

        /** Fraction of rows whose prediction equals the label. */
        public double accuracy(float[][] x, int[] labels) {
            DenseLabels.requireSameLength(x, labels, "LinearProbe test");
            int[] p = predict(x);
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                if (p[i] == labels[i]) {
                    correct++;
                }
            }
            return (double) correct / p.length;
        }
    }

    private final Config config;

    /** Default config. */
    public LinearProbe() {
        this(Config.defaults());
    }

    /** @param config hyper-parameters */
    public LinearProbe(Config config) {
        this.config = config;
    }

    /** Fits the probe on train embeddings and labels. */
    public Model fit(float[][] train, int[] labels) {
        DenseLabels.requireSameLength(train, labels, "LinearProbe train");
        if (train.length == 0) {
            throw new IllegalArgumentException("LinearProbe train: no rows");
        }
        DenseLabels classes = DenseLabels.of(labels);
        int n = train.length;
        int d = train[0].length;
        int c = classes.size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (float[] row : train) {
            if (row.length != d) {
                throw new IllegalArgumentException("LinearProbe train: rows have different dimensions ("
                        + row.length + " vs " + d + ")");
            }
            for (int k = 0; k < d; k++) {
                mean[k] += row[k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
        }
        for (float[] row : train) {
            for (int k = 0; k < d; k++) {
                double v = row[k] - mean[k];
                sd[k] += v * v;
            }
        }
        for (int k = 0; k < d; k++) {
            sd[k] = Math.sqrt(sd[k] / n);
            if (sd[k] < 1e-12) {
                sd[k] = 1;
            }
        }
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                z[i * d + k] = (train[i][k] - mean[k]) / sd[k];
            }
        }
        int[] y = classes.indexAll(labels);
        Objective f = new Objective(z, y, n, d, c, config.l2());
        double[] theta = new double[c * d + c];
        int iterations = minimise(f, theta);
        double loss = f.value(theta, new double[theta.length]);
        LOG.debug("linear probe: {} classes, {} features, {} iterations, loss {}", c, d, iterations, loss);
        float[][] w = new float[c][d];
        float[] b = new float[c];
        for (int cl = 0; cl < c; cl++) {
            double bias = theta[c * d + cl];
            for (int k = 0; k < d; k++) {
                double wk = theta[cl * d + k] / sd[k];
                w[cl][k] = (float) wk;
                bias -= wk * mean[k];
            }
            b[cl] = (float) bias;
        }
        return new Model(classes.labels(), w, b, iterations, loss);
    }

    private int minimise(Objective f, double[] x) {
        int p = x.length;
        int m = config.history();
        double[][] s = new double[m][p];
        double[][] yv = new double[m][p];
        double[] rho = new double[m];
        double[] alpha = new double[m];
        double[] g = new double[p];
        double[] gNew = new double[p];
        double[] dir = new double[p];
        double[] xNew = new double[p];
        double fx = f.value(x, g);
        int stored = 0;
        int head = 0;
        int it = 0;
        for (; it < config.maxIterations(); it++) {
            if (maxAbs(g) < config.tolerance()) {
                break;
            }
            System.arraycopy(g, 0, dir, 0, p);
            for (int h = 0; h < stored; h++) {
                int idx = Math.floorMod(head - 1 - h, m);
                alpha[idx] = rho[idx] * dot(s[idx], dir);
                axpy(-alpha[idx], yv[idx], dir);
            }
            double gamma;
            if (stored > 0) {
                int last = Math.floorMod(head - 1, m);
                gamma = dot(s[last], yv[last]) / dot(yv[last], yv[last]);
            } else {
                gamma = 1 / Math.max(1, Math.sqrt(dot(g, g)));
            }
            for (int i = 0; i < p; i++) {
                dir[i] *= gamma;
            }
            for (int h = stored - 1; h >= 0; h--) {
                int idx = Math.floorMod(head - 1 - h, m);
                double beta = rho[idx] * dot(yv[idx], dir);
                axpy(alpha[idx] - beta, s[idx], dir);
            }
            for (int i = 0; i < p; i++) {
                dir[i] = -dir[i];
            }
            double slope = dot(g, dir);
            if (slope >= 0) {
                for (int i = 0; i < p; i++) {
                    dir[i] = -g[i];
                }
                slope = -dot(g, g);
                stored = 0;
            }
            double step = 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 40; ls++) {
                for (int i = 0; i < p; i++) {
                    xNew[i] = x[i] + step * dir[i];
                }
                fNew = f.value(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                break;
            }
            double[] sNext = s[head];
            double[] yNext = yv[head];
            for (int i = 0; i < p; i++) {
                sNext[i] = xNew[i] - x[i];
                yNext[i] = gNew[i] - g[i];
            }
            double sy = dot(sNext, yNext);
            if (sy > 1e-12) {
                rho[head] = 1 / sy;
                head = (head + 1) % m;
                stored = Math.min(stored + 1, m);
            }
            System.arraycopy(xNew, 0, x, 0, p);
            System.arraycopy(gNew, 0, g, 0, p);
            double previous = fx;
            fx = fNew;
            if (Math.abs(previous - fx) <= 1e-12 * Math.max(1, Math.abs(fx))) {
                it++;
                break;
            }
        }
        return it;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Softmax cross-entropy with L2, parameters laid out as [c*d weights | c biases]. */
    private static final class Objective {
        private final double[] z;
        private final int[] y;
        private final int n;
        private final int d;
        private final int c;
        private final double l2;
        private final double[] logits;

        Objective(double[] z, int[] y, int n, int d, int c, double l2) {
            this.z = z;
            this.y = y;
            this.n = n;
            this.d = d;
            this.c = c;
            this.l2 = l2;
            this.logits = new double[c];
        }

        double value(double[] theta, double[] grad) {
            Arrays.fill(grad, 0);
            double loss = 0;
            int biasOff = c * d;
            for (int i = 0; i < n; i++) {
                int zo = i * d;
                double max = Double.NEGATIVE_INFINITY;
                for (int cl = 0; cl < c; cl++) {
                    double s = theta[biasOff + cl];
                    int wo = cl * d;
                    for (int k = 0; k < d; k++) {
                        s += theta[wo + k] * z[zo + k];
                    }
                    logits[cl] = s;
                    max = Math.max(max, s);
                }
                double rawY = logits[y[i]];
                double sum = 0;
                for (int cl = 0; cl < c; cl++) {
                    logits[cl] = Math.exp(logits[cl] - max);
                    sum += logits[cl];
                }
                loss += Math.log(sum) + max - rawY;
                for (int cl = 0; cl < c; cl++) {
                    double r = logits[cl] / sum - (cl == y[i] ? 1 : 0);
                    if (r == 0) {
                        continue;
                    }
                    r /= n;
                    int wo = cl * d;
                    for (int k = 0; k < d; k++) {
                        grad[wo + k] += r * z[zo + k];
                    }
                    grad[biasOff + cl] += r;
                }
            }
            loss /= n;
            double reg = 0;
            for (int k = 0; k < biasOff; k++) {
                reg += theta[k] * theta[k];
                grad[k] += l2 * theta[k];
            }
            return loss + 0.5 * l2 * reg;
        }
    }
}
