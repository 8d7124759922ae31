package io.contrastream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamStateTest {
    private static final String FILE = "/ckpt/run-0-step3.optimizer";

    private static AdamState sample() {
        // awkward bit patterns on purpose: negative zero, a subnormal, the largest float, a NaN payload
        float[] first = {0.25f, -0f, Float.MIN_VALUE, -3.5e-7f, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123)};
        float[] second = {1e-12f, 0f, 2f, 4e-30f, 0.5f, 7f};
        return new AdamState(17, List.of(
                new AdamState.Moments("01Linear_weight", new long[] {2, 3}, first, second),
                new AdamState.Moments("01Linear_bias", new long[] {2}, new float[] {1f, -1f}, new float[] {3f, 4f}),
                new AdamState.Moments("scalar", new long[0], new float[] {9f}, new float[] {10f})));
    }

    private static byte[] bytes(AdamState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.writeTo(out);
        return out.toByteArray();
    }

    private static AdamState read(byte[] bytes) throws IOException {
        return AdamState.readFrom(new ByteArrayInputStream(bytes), FILE);
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @Test
    void shouldRoundTripUpdatesNamesShapesAndMomentBitPatterns() throws IOException {
        AdamState state = sample();
        AdamState back = read(bytes(state));
        assertEquals(17, back.updates());
        assertEquals(state.moments().size(), back.moments().size());
        for (int i = 0; i < state.moments().size(); i++) {
            AdamState.Moments expected = state.moments().get(i);
            AdamState.Moments actual = back.moments().get(i);
            assertEquals(expected.name(), actual.name());
            assertArrayEquals(expected.shape(), actual.shape());
            assertArrayEquals(bits(expected.first()), bits(actual.first()), expected.name() + " first moment");
            assertArrayEquals(bits(expected.second()), bits(actual.second()), expected.name() + " second moment");
        }
    }

    @Test
    void shouldStartWithMagicAndVersion() throws IOException {
        ByteBuffer header = ByteBuffer.wrap(bytes(sample()));
        assertEquals(AdamState.MAGIC, header.getInt());
        assertEquals(AdamState.VERSION, header.getInt());
        assertEquals(17, header.getInt());
        assertEquals(3, header.getInt());
    }

    @Test
    void shouldRefuseEveryTruncationNamingTheFile() throws IOException {
        byte[] full = bytes(sample());
        for (int length = 0; length < full.length; length++) {
            int n = length;
            IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(full, n)),
                    "truncated to " + length + " bytes");
            assertTrue(e.getMessage().contains(FILE) && e.getMessage().contains("truncated"), e.getMessage());
        }
        // cut inside the second moment of the first parameter: the message names the parameter
        IOException e = assertThrows(IOException.class, () -> read(Arrays.copyOf(full, 16 + 2 + 15 + 4 + 16 + 30)));
        assertTrue(e.getMessage().contains("'01Linear_weight'"), e.getMessage());
    }

    @Test
    void shouldRefuseWrongMagicVersionAndTrailingBytes() throws IOException {
        byte[] full = bytes(sample());
        byte[] magic = full.clone();
        magic[0] = 'X';
        IOException e = assertThrows(IOException.class, () -> read(magic));
        assertTrue(e.getMessage().contains(FILE) && e.getMessage().contains("not an Adam state file"),
                e.getMessage());
        byte[] version = full.clone();
        version[7] = 2;
        e = assertThrows(IOException.class, () -> read(version));
        assertTrue(e.getMessage().contains("format version 2") && e.getMessage().contains(FILE), e.getMessage());
        byte[] trailing = Arrays.copyOf(full, full.length + 1);
        e = assertThrows(IOException.class, () -> read(trailing));
        assertTrue(e.getMessage().contains("bytes after its last parameter"), e.getMessage());
    }

    @Test
    void shouldRefuseAHugeDeclaredShapeInAShortFileWithoutAllocatingIt() throws IOException {
        AdamState one = new AdamState(1, List.of(new AdamState.Moments("w", new long[] {2},
                new float[2], new float[2])));
        byte[] b = bytes(one);
        // rank 1, dimension at offset 16 + 2 + 1 + 4: make it 2^30 values per moment
        ByteBuffer.wrap(b).putLong(16 + 2 + 1 + 4, 1L << 30);
        IOException e = assertThrows(IOException.class, () -> read(b));
        assertTrue(e.getMessage().contains("truncated in parameter 'w'"), e.getMessage());
    }

    @Test
    void shouldRefuseDuplicateNamesAndMomentsThatDoNotFitTheShape() {
        assertThrows(IllegalArgumentException.class, () -> new AdamState(0, List.of(
                new AdamState.Moments("w", new long[] {1}, new float[1], new float[1]),
                new AdamState.Moments("w", new long[] {1}, new float[1], new float[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamState.Moments("w", new long[] {2, 2}, new float[4], new float[3]));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
    }
}
