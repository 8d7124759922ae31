package io.contrastream.data.augment;

import io.contrastream.data.Image;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A composable, deterministic augmentation pipeline built from a recipe of {@link AugmentationSpec}s.
 *
 * <p>{@link #apply(Image, long)} seeds one {@link SplittableRandom} with the view seed (see
 * {@link ViewSeeds#derive}) and, for each step in order, draws {@code nextDouble()}; the step runs when that value is
 * below its probability and then draws its own parameters from the same generator. The same image and view seed
 * therefore always give the same float bytes. Output values are clamped to [0, 1]. Thread-safe.
 *
 * <p>Augmentations and parameters (defaults in brackets):
 * <ul>
 *   <li>{@code random_resized_crop}: {@code scale_min} [0.08], {@code scale_max} [1], {@code ratio_min} [0.75],
 *       {@code ratio_max} [1.3333] (SimCLR, Chen et al. 2020);</li>
 *   <li>{@code horizontal_flip}: no parameters;</li>
 *   <li>{@code affine}: {@code max_degrees} [10], {@code max_translate} [0.1] (fraction of the side);</li>
 *   <li>{@code random_resized_crop_affine}: the parameters of {@code random_resized_crop} and of {@code affine} plus
 *       {@code affine_probability} [1]: the crop then, with that probability, the affine, resampled once (about half
 *       the cost of the two steps, different bytes: {@link RandomResizedCropAffine});</li>
 *   <li>{@code gaussian_noise}: {@code sigma} [0.05] ({@code SplittableRandom.nextGaussian} per value; kept so that
 *       recipes naming it recreate their views);</li>
 *   <li>{@code gaussian_noise_v2}: {@code sigma} [0.05] (the same distribution from a faster generator, with
 *       different bytes: {@link GaussianNoiseV2});</li>
 *   <li>{@code gaussian_noise_v3}: {@code sigma} [0.05] (a discretised normal, {@code |z| <= 3.67}, drawn from a
 *       4096-entry quantile table: cheaper again, with different bytes: {@link GaussianNoiseV3});</li>
 *   <li>{@code brightness_contrast}: {@code brightness} [0.2] (max additive change), {@code contrast} [0.2]
 *       (max relative change of the deviation from the channel mean);</li>
 *   <li>{@code brightness_contrast_v2}: the parameters of {@code brightness_contrast} (the same formula with the
 *       channel mean summed in eight lanes: cheaper, and its bytes can differ: {@link BrightnessContrastV2});</li>
 *   <li>{@code random_erasing} (alias {@code cutout}): {@code scale_min} [0.02], {@code scale_max} [0.2],
 *       {@code ratio_min} [0.3], {@code ratio_max} [3.3], {@code value} [0];</li>
 *   <li>{@code gaussian_blur}: {@code sigma_min} [0.1], {@code sigma_max} [2].</li>
 * </ul>
 */
public final class AugmentationPipeline {

    /** Names accepted in {@link AugmentationSpec#name()}. */
    public static final List<String> NAMES = List.of("random_resized_crop", "horizontal_flip", "affine",
            "random_resized_crop_affine",
            "gaussian_noise", "gaussian_noise_v2", "gaussian_noise_v3", "brightness_contrast", "brightness_contrast_v2",
            "random_erasing", "cutout", "gaussian_blur");

    private final List<AugmentationSpec> specs;
    private final Op[] ops;
    private final double[] probabilities;

    private AugmentationPipeline(List<AugmentationSpec> specs) {
        this.specs = List.copyOf(specs);
        this.ops = new Op[specs.size()];
        this.probabilities = new double[specs.size()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = build(specs.get(i));
            probabilities[i] = specs.get(i).probability();
        }
    }

    /**
     * Builds a pipeline.
     *
     * @throws IllegalArgumentException naming the step for an unknown augmentation or a bad parameter
     */
    public static AugmentationPipeline of(List<AugmentationSpec> specs) {
        if (specs == null) {
            throw new IllegalArgumentException("AugmentationPipeline specs must not be null");
        }
        return new AugmentationPipeline(specs);
    }

    /** The recipe. */
    public List<AugmentationSpec> specs() {
        return specs;
    }

    /** Step {@code i}'s op (for tests that re-run the steps by definition). */
    Op op(int i) {
        return ops[i];
    }

    /** Returns a new augmented image; {@code in} is not modified. */
    public Image apply(Image in, long viewSeed) {
        int n = in.size();
        // The result must be a fresh array (the Image owns it); the second buffer is per-thread scratch, and a result
        // that ends up in the scratch is copied back into the fresh array.
        float[] fresh = in.pixels().clone();
        float[] out = run(fresh, Scratch.get().pipeline(n), in.channels(), in.height(), in.width(), viewSeed);
        if (out != fresh) {
            System.arraycopy(out, 0, fresh, 0, n);
        }
        return new Image(in.channels(), in.height(), in.width(), fresh);
    }

    /**
     * The values of {@code apply(in, viewSeed).pixels()} (the same bits) in an array of exactly {@code in.size()}
     * values that belongs to the calling thread: it is overwritten by this thread's next call, so read it (e.g.
     * encode it) before then and never hand it on. Saves the result's allocation and copy where the caller only
     * reads the values once, as a producer encoding a view does. {@code in} is not modified.
     */
    public float[] applyTransient(Image in, long viewSeed) {
        int n = in.size();
        Scratch scratch = Scratch.get();
        float[] a = scratch.transientA(n);
        System.arraycopy(in.pixels(), 0, a, 0, n);
        return run(a, scratch.transientB(n), in.channels(), in.height(), in.width(), viewSeed);
    }

    /**
     * Runs the steps on {@code cur} (modified) with {@code other} as the second buffer (both at least {@code c*h*w}
     * long) and returns the one holding the result, its first {@code c*h*w} values clamped to [0, 1].
     */
    private float[] run(float[] cur, float[] other, int c, int h, int w, long viewSeed) {
        SplittableRandom rng = new SplittableRandom(viewSeed);
        boolean clamped = false;
        for (int i = 0; i < ops.length; i++) {
            if (rng.nextDouble() < probabilities[i]) {
                Op op = ops[i];
                if (op.apply(cur, other, c, h, w, rng)) {
                    float[] t = cur;
                    cur = other;
                    other = t;
                }
                clamped = op.clampsOutput() || (clamped && op.preservesClamped());
            }
        }
        // When the last steps left the values clamped the clamp would be the identity (it keeps -0 and NaN too), so
        // it is skipped: most views of the presets end with a clamping step.
        if (!clamped) {
            Op.clamp(cur, cur, c * h * w);
        }
        return cur;
    }

    private static Op build(AugmentationSpec spec) {
        return switch (spec.name()) {
            case "random_resized_crop" -> {
                Params p = new Params(spec, Set.of("scale_min", "scale_max", "ratio_min", "ratio_max"));
                double smin = p.get("scale_min", 0.08, 1e-4, 1);
                double smax = p.get("scale_max", 1, 1e-4, 1);
                double rmin = p.get("ratio_min", 0.75, 1e-3, 1e3);
                double rmax = p.get("ratio_max", 4.0 / 3.0, 1e-3, 1e3);
                p.checkOrder("scale_min", smin, "scale_max", smax);
                p.checkOrder("ratio_min", rmin, "ratio_max", rmax);
                yield new RandomResizedCrop(smin, smax, rmin, rmax);
            }
            case "random_resized_crop_affine" -> {
                Params p = new Params(spec, Set.of("scale_min", "scale_max", "ratio_min", "ratio_max",
                        "affine_probability", "max_degrees", "max_translate"));
                double smin = p.get("scale_min", 0.08, 1e-4, 1);
                double smax = p.get("scale_max", 1, 1e-4, 1);
                double rmin = p.get("ratio_min", 0.75, 1e-3, 1e3);
                double rmax = p.get("ratio_max", 4.0 / 3.0, 1e-3, 1e3);
                p.checkOrder("scale_min", smin, "scale_max", smax);
                p.checkOrder("ratio_min", rmin, "ratio_max", rmax);
                yield new RandomResizedCropAffine(smin, smax, rmin, rmax, p.get("affine_probability", 1, 0, 1),
                        p.get("max_degrees", 10, 0, 180), p.get("max_translate", 0.1, 0, 1));
            }
            case "horizontal_flip" -> {
                new Params(spec, Set.of());
                yield new HorizontalFlip();
            }
            case "affine" -> {
                Params p = new Params(spec, Set.of("max_degrees", "max_translate"));
                yield new Affine(p.get("max_degrees", 10, 0, 180), p.get("max_translate", 0.1, 0, 1));
            }
            case "gaussian_noise" -> {
                Params p = new Params(spec, Set.of("sigma"));
                yield new GaussianNoise(p.get("sigma", 0.05, 0, 10));
            }
            case "gaussian_noise_v2" -> {
                Params p = new Params(spec, Set.of("sigma"));
                yield new GaussianNoiseV2(p.get("sigma", 0.05, 0, 10));
            }
            case "gaussian_noise_v3" -> {
                Params p = new Params(spec, Set.of("sigma"));
                yield new GaussianNoiseV3(p.get("sigma", 0.05, 0, 10));
            }
            case "brightness_contrast" -> {
                Params p = new Params(spec, Set.of("brightness", "contrast"));
                yield new BrightnessContrast(p.get("brightness", 0.2, 0, 1), p.get("contrast", 0.2, 0, 1));
            }
            case "brightness_contrast_v2" -> {
                Params p = new Params(spec, Set.of("brightness", "contrast"));
                yield BrightnessContrastV2.op(p.get("brightness", 0.2, 0, 1), p.get("contrast", 0.2, 0, 1));
            }
            case "random_erasing", "cutout" -> {
                Params p = new Params(spec, Set.of("scale_min", "scale_max", "ratio_min", "ratio_max", "value"));
                double smin = p.get("scale_min", 0.02, 0, 1);
                double smax = p.get("scale_max", 0.2, 0, 1);
                double rmin = p.get("ratio_min", 0.3, 1e-3, 1e3);
                double rmax = p.get("ratio_max", 3.3, 1e-3, 1e3);
                p.checkOrder("scale_min", smin, "scale_max", smax);
                p.checkOrder("ratio_min", rmin, "ratio_max", rmax);
                yield new RandomErasing(smin, smax, rmin, rmax, p.get("value", 0, 0, 1));
            }
            case "gaussian_blur" -> {
                Params p = new Params(spec, Set.of("sigma_min", "sigma_max"));
                double smin = p.get("sigma_min", 0.1, 1e-3, 10);
                double smax = p.get("sigma_max", 2, 1e-3, 10);
                p.checkOrder("sigma_min", smin, "sigma_max", smax);
                yield new GaussianBlur(smin, smax);
            }
            default -> throw new IllegalArgumentException("Unknown augmentation '" + spec.name() + "'; expected one of "
                    + NAMES);
        };
    }
}
