package io.contrastream.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the committed image-folder fixture ({@code src/test/resources/image-folder}): five 4x4 grayscale PNGs in
 * three class folders given out of name order. Pixel {@code (y, x)} of image {@code k} is
 * {@code (16 * k + 4 * y + x) / 255}. Run {@code main} with the target folder to regenerate.
 */
final class TinyPngs {

    /** Class folder and file name of each fixture image, in the order of {@code k}. */
    static final String[][] FILES = {
        {"cat", "01.png"}, {"ant", "02.png"}, {"cat", "00.png"}, {"bee", "a.png"}, {"ant", "01.png"},
    };

    private TinyPngs() {
    }

    /** The pixels of fixture image {@code k}. */
    static Image image(int k) {
        float[] px = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                px[4 * y + x] = (16 * k + 4 * y + x) / 255f;
            }
        }
        return new Image(1, 4, 4, px);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        for (int k = 0; k < FILES.length; k++) {
            Path f = root.resolve(FILES[k][0]).resolve(FILES[k][1]);
            Files.createDirectories(f.getParent());
            Files.write(f, ImageCodec.encodePng(image(k)));
        }
    }
}
