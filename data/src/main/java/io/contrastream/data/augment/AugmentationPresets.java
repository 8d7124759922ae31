package io.contrastream.data.augment;

import java.util.List;
import java.util.Map;

/** Named augmentation recipes. Each returns the recipe as data; build it with {@link AugmentationPipeline#of}. */
public final class AugmentationPresets {

    private AugmentationPresets() {
    }

    /**
     * For digits and other orientation-sensitive grayscale images (MNIST, Fashion-MNIST, synthetic shapes): milder
     * crops, small rotations/shifts, brightness/contrast, blur, noise and cutout; no horizontal flip. The crop and
     * the rotation/shift (with probability 0.7) are one {@code random_resized_crop_affine} step, resampled once; the
     * recipe with the two separate steps ({@code random_resized_crop}, then {@code affine} at 0.7) still recreates
     * the views made with it. Brightness/contrast and noise are the cheaper {@code brightness_contrast_v2} (the mean
     * summed in eight lanes) and {@code gaussian_noise_v3} (a 4096-entry discretised normal); recipes naming
     * {@code brightness_contrast} and {@code gaussian_noise_v2}, as this preset did before, still recreate their
     * views.
     */
    public static List<AugmentationSpec> forDigits() {
        return List.of(
                new AugmentationSpec("random_resized_crop_affine", 1.0, Map.of("scale_min", 0.5, "scale_max", 1.0,
                        "ratio_min", 0.8, "ratio_max", 1.25, "affine_probability", 0.7, "max_degrees", 12.0,
                        "max_translate", 0.08)),
                new AugmentationSpec("brightness_contrast_v2", 0.8, Map.of("brightness", 0.2, "contrast", 0.3)),
                new AugmentationSpec("gaussian_blur", 0.3, Map.of("sigma_min", 0.1, "sigma_max", 1.0)),
                new AugmentationSpec("gaussian_noise_v3", 0.5, Map.of("sigma", 0.04)),
                new AugmentationSpec("random_erasing", 0.3, Map.of("scale_min", 0.02, "scale_max", 0.15)));
    }

    /**
     * For natural images (CIFAR-10): SimCLR-style crops plus horizontal flip, colour jitter and blur. The jitter is
     * {@code brightness_contrast_v2}; the recipe naming {@code brightness_contrast}, as this preset did before, still
     * recreates its views.
     */
    public static List<AugmentationSpec> forNaturalImages() {
        return List.of(
                new AugmentationSpec("random_resized_crop", 1.0, Map.of("scale_min", 0.2, "scale_max", 1.0)),
                AugmentationSpec.of("horizontal_flip", 0.5),
                new AugmentationSpec("brightness_contrast_v2", 0.8, Map.of("brightness", 0.4, "contrast", 0.4)),
                new AugmentationSpec("gaussian_blur", 0.5, Map.of("sigma_min", 0.1, "sigma_max", 1.5)),
                new AugmentationSpec("random_erasing", 0.25, Map.of()));
    }

    /** No augmentation: views equal the input. */
    public static List<AugmentationSpec> none() {
        return List.of();
    }

    /** The preset called {@code digits}, {@code natural} or {@code none}. */
    public static List<AugmentationSpec> byName(String name) {
        return switch (name) {
            case "digits" -> forDigits();
            case "natural" -> forNaturalImages();
            case "none" -> none();
            default -> throw new IllegalArgumentException("Unknown augmentation preset '" + name
                    + "', expected digits, natural or none");
        };
    }
}
