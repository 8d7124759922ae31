package io.contrastream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Tiny hand-checkable batch, N=2 samples, V=2 views, D=2, view-major rows:
 * r0 = s0v0 = (1,0) given as (2,0); r1 = s1v0 = (0,1) given as (0,3); r2 = s0v1 = (0.6,0.8); r3 = s1v1 = (0.8,0.6).
 * Cosine similarities: d01=0, d02=0.6, d03=0.8, d12=0.8, d13=0.6, d23=0.96.
 * With tau = 0.5: s01=0, s02=1.2, s03=1.6, s12=1.6, s13=1.2, s23=1.92.
 */
final class LossFixtures {
    static final double TOLERANCE = 1e-5;

    private LossFixtures() {
    }

    static NDArray twoByTwo(NDManager manager) {
        return manager.create(new float[][] {{2f, 0f}, {0f, 3f}, {0.6f, 0.8f}, {0.8f, 0.6f}});
    }

    static double e(double x) {
        return Math.exp(x);
    }

    static double ln(double x) {
        return Math.log(x);
    }

    static double softplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    static LossInput.Builder input(NDArray projections, int views) {
        return LossInput.builder().setProjections(projections).setViews(views);
    }
}
