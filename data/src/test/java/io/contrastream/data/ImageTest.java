package io.contrastream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {

    @Test
    void shouldRoundTripFloat32LittleEndian() {
        Image img = new Image(1, 2, 2, new float[] {0f, 0.25f, 0.5f, 1f});
        byte[] bytes = img.toFloat32LE();
        assertEquals(16, bytes.length);
        // 0.25f = 0x3E800000 -> little-endian bytes 00 00 80 3E at offset 4
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3E}, java.util.Arrays.copyOfRange(bytes, 4, 8));
        assertEquals(img, Image.fromFloat32LE(new int[] {1, 2, 2}, bytes));
    }

    @Test
    void shouldRejectShapeMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Image(3, 2, 2, new float[4]));
        assertTrue(e.getMessage().contains("3x2x2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Image.fromFloat32LE(new int[] {1, 2, 2}, new byte[15]));
    }

    @Test
    void shouldNameOutOfRangePixel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Image(1, 1, 3, new float[] {0f, 1.5f, 0f}).checkRange());
        assertTrue(e.getMessage().contains("pixel 1"), e.getMessage());
    }

    @Test
    void shouldConvertEveryUnsignedByteToItsFloatOver255() {
        byte[] data = new byte[257];
        for (int v = 0; v < 256; v++) {
            data[v + 1] = (byte) v;
        }
        Image img = Image.fromUint8(1, 16, 16, data, 1);
        for (int v = 0; v < 256; v++) {
            // bit-for-bit the product v * (1f / 255f) that views were made from; 255 -> 1, 51 -> 0.2
            assertEquals(Float.floatToRawIntBits(v * (1f / 255f)), Float.floatToRawIntBits(img.pixels()[v]), "byte " + v);
        }
        assertEquals(1f, img.pixels()[255]);
        assertEquals(0.2f, img.pixels()[51], 1e-7f);
    }
}
