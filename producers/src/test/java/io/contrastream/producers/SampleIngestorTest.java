package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.data.ImageCodec;
import io.contrastream.data.ImageFolderDataset;
import io.contrastream.data.SyntheticShapes;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.EncodedImage;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleIngestorTest {

    private static final EventCodec<Sample> CODEC = EventCodec.of(Sample.class);

    private static MockProducer<String, byte[]> mock() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static Path folder(Path dir) throws Exception {
        for (String c : List.of("b", "a")) {
            Files.createDirectories(dir.resolve(c));
            float[] px = new float[4];
            px[0] = c.equals("a") ? 1f : 0.5f;
            Files.write(dir.resolve(c).resolve("x.png"), ImageCodec.encodePng(new Image(1, 2, 2, px)));
        }
        return dir;
    }

    @Test
    void shouldSendTheOriginalFileBytesOfAnImageFolderKeyedBySampleId(@TempDir Path dir) throws Exception {
        ImageFolderDataset data = ImageFolderDataset.open(folder(dir));
        MockProducer<String, byte[]> mock = mock();
        ProduceSummary s = new SampleIngestor(new SampleIngestor.Config("r", data, true, 0, 0)).run(mock, "samples",
                null);
        assertEquals(2, s.recordsSent());
        for (int i = 0; i < 2; i++) {
            Sample sample = CODEC.decode(mock.history().get(i).value());
            assertEquals(data.sampleId(i), mock.history().get(i).key());
            assertEquals(data.sampleId(i), sample.getSampleId());
            assertEquals(i, sample.getLabel());
            EncodedImage img = (EncodedImage) sample.getPayload();
            assertEquals("image/png", img.getMediaType());
            assertArrayEquals(Files.readAllBytes(data.file(i)), bytes(img.getData()));
        }
    }

    @Test
    void shouldSendFloat32TensorsOfADatasetUpToTheLimit() {
        SyntheticShapes data = new SyntheticShapes("train", 10, 1, 8, 8, 2L);
        MockProducer<String, byte[]> mock = mock();
        new SampleIngestor(new SampleIngestor.Config("r", data, false, 0, 4)).run(mock, "samples", null);
        assertEquals(4, mock.history().size());
        Sample sample = CODEC.decode(mock.history().get(3).value());
        Tensor t = (Tensor) sample.getPayload();
        assertEquals(DType.FLOAT32, t.getDtype());
        assertEquals(List.of(1, 8, 8), t.getShape());
        assertArrayEquals(data.get(3).image().toFloat32LE(), bytes(t.getData()));
        assertEquals("synthetic", sample.getSource());
        assertEquals(data.label(3), sample.getLabel());
    }

    @Test
    void shouldRefuseEncodedImagesForADatasetThatIsNotAFolder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SampleIngestor.Config("r",
                new SyntheticShapes("train", 2, 1, 8, 8, 0L), true, 0, 0));
        assertTrue(e.getMessage().contains("image folder"), e.getMessage());
    }
}
