package io.contrastream.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Views are recreated from (sample, recipe, view seed), possibly long after they were made and by a later version of
 * this code: the bytes a recipe gives for a seed must never change. The digests below were computed with the ops as
 * they were when each recipe was first shipped (for {@code gaussian_noise}: {@code SplittableRandom.nextGaussian}
 * per value, before {@code gaussian_noise_v2} existed; for {@code gaussian_noise_v2} and the digits preset that uses
 * it: when {@code gaussian_noise_v2} was added; for {@code random_resized_crop_affine} and the digits preset that
 * uses it: when it was added; for {@code gaussian_noise_v3}, {@code brightness_contrast_v2} and the presets that use
 * them: when they were added); an op that needs to give different bytes gets a new name.
 */
class RecipeGoldenBytesTest {

    private static final Image DIGIT = new SyntheticShapes("train", 10, 1, 28, 28, 1L).get(4).image();
    private static final Image RGB = new SyntheticShapes("train", 10, 3, 32, 32, 1L).get(7).image();

    /** The digits preset as shipped before {@code gaussian_noise_v2}. */
    static final List<AugmentationSpec> DIGITS_WITH_LEGACY_NOISE = List.of(
            new AugmentationSpec("random_resized_crop", 1.0, Map.of("scale_min", 0.5, "scale_max", 1.0,
                    "ratio_min", 0.8, "ratio_max", 1.25)),
            new AugmentationSpec("affine", 0.7, Map.of("max_degrees", 12.0, "max_translate", 0.08)),
            new AugmentationSpec("brightness_contrast", 0.8, Map.of("brightness", 0.2, "contrast", 0.3)),
            new AugmentationSpec("gaussian_blur", 0.3, Map.of("sigma_min", 0.1, "sigma_max", 1.0)),
            new AugmentationSpec("gaussian_noise", 0.5, Map.of("sigma", 0.04)),
            new AugmentationSpec("random_erasing", 0.3, Map.of("scale_min", 0.02, "scale_max", 0.15)));

    /** The digits preset as shipped with {@code gaussian_noise_v2}, before {@code random_resized_crop_affine}. */
    static final List<AugmentationSpec> DIGITS_WITH_SEPARATE_CROP_AND_AFFINE = List.of(
            new AugmentationSpec("random_resized_crop", 1.0, Map.of("scale_min", 0.5, "scale_max", 1.0,
                    "ratio_min", 0.8, "ratio_max", 1.25)),
            new AugmentationSpec("affine", 0.7, Map.of("max_degrees", 12.0, "max_translate", 0.08)),
            new AugmentationSpec("brightness_contrast", 0.8, Map.of("brightness", 0.2, "contrast", 0.3)),
            new AugmentationSpec("gaussian_blur", 0.3, Map.of("sigma_min", 0.1, "sigma_max", 1.0)),
            new AugmentationSpec("gaussian_noise_v2", 0.5, Map.of("sigma", 0.04)),
            new AugmentationSpec("random_erasing", 0.3, Map.of("scale_min", 0.02, "scale_max", 0.15)));

    /**
     * The digits preset as shipped with {@code random_resized_crop_affine}, before {@code brightness_contrast_v2} and
     * {@code gaussian_noise_v3}.
     */
    static final List<AugmentationSpec> DIGITS_WITH_SERIAL_MEAN_AND_ZIGGURAT_NOISE = List.of(
            new AugmentationSpec("random_resized_crop_affine", 1.0, Map.of("scale_min", 0.5, "scale_max", 1.0,
                    "ratio_min", 0.8, "ratio_max", 1.25, "affine_probability", 0.7, "max_degrees", 12.0,
                    "max_translate", 0.08)),
            new AugmentationSpec("brightness_contrast", 0.8, Map.of("brightness", 0.2, "contrast", 0.3)),
            new AugmentationSpec("gaussian_blur", 0.3, Map.of("sigma_min", 0.1, "sigma_max", 1.0)),
            new AugmentationSpec("gaussian_noise_v2", 0.5, Map.of("sigma", 0.04)),
            new AugmentationSpec("random_erasing", 0.3, Map.of("scale_min", 0.02, "scale_max", 0.15)));

    /** The natural preset as shipped before {@code brightness_contrast_v2}. */
    static final List<AugmentationSpec> NATURAL_WITH_SERIAL_MEAN = List.of(
            new AugmentationSpec("random_resized_crop", 1.0, Map.of("scale_min", 0.2, "scale_max", 1.0)),
            AugmentationSpec.of("horizontal_flip", 0.5),
            new AugmentationSpec("brightness_contrast", 0.8, Map.of("brightness", 0.4, "contrast", 0.4)),
            new AugmentationSpec("gaussian_blur", 0.5, Map.of("sigma_min", 0.1, "sigma_max", 1.5)),
            new AugmentationSpec("random_erasing", 0.25, Map.of()));

    static String digest(List<AugmentationSpec> recipe, Image image, int views) {
        AugmentationPipeline p = AugmentationPipeline.of(recipe);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int v = 0; v < views; v++) {
                sha.update(p.apply(image, ViewSeeds.derive(42, "golden/000004", v, v / 7)).toFloat32LE());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldRecreateLegacyGaussianNoiseBytes() {
        List<AugmentationSpec> noise = List.of(new AugmentationSpec("gaussian_noise", 1.0, Map.of("sigma", 0.1)));
        assertEquals("977bc4a8ff82b63c5a177cd12850195949fa4b42b69dc28d9051ad30481d5500",
                digest(noise, DIGIT, 50));
        assertEquals("abb15ecd1ec5cd2a4f97490934b185ab55665bbee991a1970c379f2252012b7f",
                digest(noise, RGB, 50));
    }

    @Test
    void shouldRecreateDigitsRecipeWithLegacyNoiseBytes() {
        assertEquals("2474aa0e6c9560b5749fc28644754ede570d3610f9827137dd7b446167c481d1",
                digest(DIGITS_WITH_LEGACY_NOISE, DIGIT, 200));
    }

    @Test
    void shouldRecreateNaturalPresetBytes() {
        assertEquals("dda932dd62c2ff0979efcf71799b3f0973794b2d4891d2081a010764168fc7fc",
                digest(NATURAL_WITH_SERIAL_MEAN, RGB, 200));
    }

    @Test
    void shouldRecreateZigguratNoiseAndDigitsPresetBytes() {
        List<AugmentationSpec> noise = List.of(new AugmentationSpec("gaussian_noise_v2", 1.0, Map.of("sigma", 0.1)));
        assertEquals("8e92e9773a28158fc608eab21f44a65387c994e78b1f798b4ab4dfcd0a13f1be",
                digest(noise, DIGIT, 50));
        assertEquals("ddfc03ac462542977ab6a975dd455cb996ef47559cd39495f1d97d61ddd473a0",
                digest(noise, RGB, 50));
        assertEquals("348f90df116260ee2d9bc7c40dfc5d5eb18ed7a5f4a3d75aa1aba677ed342cf4",
                digest(DIGITS_WITH_SEPARATE_CROP_AND_AFFINE, DIGIT, 200));
    }

    @Test
    void shouldRecreateFusedCropAffineAndDigitsPresetBytes() {
        List<AugmentationSpec> fused = List.of(new AugmentationSpec("random_resized_crop_affine", 1.0,
                Map.of("affine_probability", 0.5, "max_degrees", 30.0)));
        assertEquals("76b3cc9f91eb75929153162aa32e1a089781c7fe674a3a47a0b8629fdcc6449f", digest(fused, DIGIT, 50));
        assertEquals("a17ea839d17f0ed2c9a1185a231b354d0e00f9581147c822c89a8054a19121be", digest(fused, RGB, 50));
        assertEquals("992560e89f404540122963defd892885726ac59fd214926041aa17d64a4068ae",
                digest(DIGITS_WITH_SERIAL_MEAN_AND_ZIGGURAT_NOISE, DIGIT, 200));
    }

    @Test
    void shouldRecreateTableNoiseLaneMeanAndPresetBytes() {
        List<AugmentationSpec> noise = List.of(new AugmentationSpec("gaussian_noise_v3", 1.0, Map.of("sigma", 0.1)));
        assertEquals("cb442026bfc3379159c4c32c83e0f242d4f7ceb855cff5211a2ca100d44bd1c6", digest(noise, DIGIT, 50));
        assertEquals("402364662fb8a4cd0a649005f16b93ec0fd9a829313d934a6706ed911e63b7eb", digest(noise, RGB, 50));
        // the same digests as brightness_contrast's: on these images both double sums of the channel are exact
        List<AugmentationSpec> jitter = List.of(new AugmentationSpec("brightness_contrast_v2", 1.0,
                Map.of("brightness", 0.4, "contrast", 0.4)));
        assertEquals("7ecb790f7b998fa91c530ba4273d438f43fe249c3ced2a9042b5d76e1d74ac12", digest(jitter, DIGIT, 50));
        assertEquals("48f4fee569e6205a20beeaba8616d983e3b3810bde5d46f918953dc4c235adf6", digest(jitter, RGB, 50));
        assertEquals("9d33a21c39c52f0e59da3da14f6d2425a2d1fa8e7494098eaec8564644d5d704",
                digest(AugmentationPresets.forDigits(), DIGIT, 200));
        // unchanged by brightness_contrast_v2 on this image, as above
        assertEquals("dda932dd62c2ff0979efcf71799b3f0973794b2d4891d2081a010764168fc7fc",
                digest(AugmentationPresets.forNaturalImages(), RGB, 200));
    }
}
