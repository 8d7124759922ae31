package io.contrastream.eval.metrics;

/**
 * Images for robustness evaluation: one flat channel-major (CHW) float array per sample, pixel values in [0, 1].
 *
 * @param pixels   [samples][channels * height * width]
 * @param channels C
 * @param height   H
 * @param width    W
 */
public record ImageSet(float[][] pixels, int channels, int height, int width) {

    /** Validates shapes and the [0, 1] range. */
    public ImageSet {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageSet: channels " + channels + ", height " + height + ", width "
                    + width + " must all be >= 1");
        }
        int size = channels * height * width;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i].length != size) {
                throw new IllegalArgumentException("ImageSet: image " + i + " has " + pixels[i].length
                        + " values, expected C*H*W = " + size);
            }
            for (float v : pixels[i]) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException("ImageSet: image " + i + " has pixel " + v
                            + " outside [0, 1]; scale inputs to [0, 1] before evaluation");
                }
            }
        }
    }

    /** Number of images. */
    public int size() {
        return pixels.length;
    }

    /** Values per image, C * H * W. */
    public int imageSize() {
        return channels * height * width;
    }
}
