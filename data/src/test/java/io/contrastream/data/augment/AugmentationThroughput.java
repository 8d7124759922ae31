package io.contrastream.data.augment;

import io.contrastream.data.Dataset;
import io.contrastream.data.Image;
import io.contrastream.data.SyntheticShapes;
import java.util.List;

/**
 * Micro timing of the augmentation presets on one thread (not a test; prints only). Run from the module with the
 * test classpath, e.g. {@code java -cp target/classes:target/test-classes:<deps> io.contrastream.data.augment.AugmentationThroughput}.
 */
public final class AugmentationThroughput {

    private AugmentationThroughput() {
    }

    /** Prints views per second for each preset after a warm-up. */
    public static void main(String[] args) {
        time("digits 28x28x1", new SyntheticShapes("train", 256, 1, 28, 28, 0), AugmentationPresets.forDigits());
        time("natural 32x32x3", new SyntheticShapes("train", 256, 3, 32, 32, 0), AugmentationPresets.forNaturalImages());
    }

    private static void time(String label, Dataset ds, List<AugmentationSpec> recipe) {
        AugmentationPipeline p = AugmentationPipeline.of(recipe);
        Image[] images = new Image[ds.size()];
        String[] ids = new String[ds.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = ds.get(i).image();
            ids[i] = ds.sampleId(i);
        }
        double sink = 0;
        for (int round = 0; round < 3; round++) {
            int views = 200_000;
            long t0 = System.nanoTime();
            for (int v = 0; v < views; v++) {
                int i = v % images.length;
                Image out = p.apply(images[i], ViewSeeds.derive(7, ids[i], v & 1, v / images.length));
                sink += out.pixels()[v % out.size()];
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s round %d: %,.0f views/s (%.2f us/view)%n", label, round, views / s, s * 1e6 / views);
        }
        System.out.println("checksum " + sink);
    }
}
