package io.contrastream.producers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.Image;
import io.contrastream.data.ImageCodec;
import io.contrastream.data.augment.AugmentationPresets;
import io.contrastream.data.augment.ViewSeeds;
import io.contrastream.infra.DeadLetters;
import io.contrastream.infra.EventTopics;
import io.contrastream.infra.TopicCatalog;
import io.contrastream.producers.internal.SampleCheck;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.EncodedImage;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.codec.EventCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentTopologyTest {

    private static final TopicCatalog CATALOG = new TopicCatalog("tt", 1, (short) 1);
    private static final EventTopics TOPICS = new EventTopics(CATALOG);
    private static final Image IMAGE = image();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Sample> samples;
    private TestInputTopic<String, byte[]> rawSamples;
    private TestOutputTopic<String, AugmentedView> views;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private final AugmentConfig config = AugmentConfig.defaults(CATALOG, "run-a").withViewCount(3).withSeed(11)
            .withClasses(Set.of(0, 1, 2)).withAugmentation(AugmentationPresets.forDigits());

    private static Image image() {
        float[] px = new float[3 * 4 * 5];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 17) / 16f;
        }
        return new Image(3, 4, 5, px);
    }

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "augment-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AugmentTopology.build(config), props);
        samples = driver.createInputTopic(CATALOG.samples().name(), new StringSerializer(),
                TOPICS.samples().valueSerde().serializer());
        rawSamples = driver.createInputTopic(CATALOG.samples().name(), new StringSerializer(),
                new ByteArraySerializer());
        views = driver.createOutputTopic(CATALOG.views().name(), TOPICS.views().keySerde().deserializer(),
                TOPICS.views().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(CATALOG.deadLetter().name(), TOPICS.deadLetter().keySerde().deserializer(),
                TOPICS.deadLetter().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static Sample tensorSample(String id, Integer label, DType dtype, List<Integer> shape, byte[] data) {
        return Sample.newBuilder().setSampleId(id).setLabel(label).setTaskId(null)
                .setPayload(Tensor.newBuilder().setDtype(dtype).setShape(shape).setData(ByteBuffer.wrap(data)).build())
                .setSource("test-source").setEventTime(Instant.ofEpochMilli(1000)).build();
    }

    private static Sample imageSample(String id, String mediaType, byte[] data) {
        return Sample.newBuilder().setSampleId(id).setLabel(1).setTaskId(2)
                .setPayload(EncodedImage.newBuilder().setMediaType(mediaType).setData(ByteBuffer.wrap(data)).build())
                .setSource("folder").setEventTime(Instant.ofEpochMilli(1000)).build();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Test
    void shouldTurnOneSampleIntoExactlyVReproducibleViews() {
        samples.pipeInput("s-1", tensorSample("s-1", 2, DType.FLOAT32, List.of(3, 4, 5), IMAGE.toFloat32LE()));
        List<TestRecord<String, AugmentedView>> out = views.readRecordsToList();
        assertEquals(3, out.size());
        for (int v = 0; v < 3; v++) {
            AugmentedView view = out.get(v).value();
            assertEquals("s-1", out.get(v).key());
            assertEquals(v, view.getViewIndex());
            assertEquals(3, view.getViewCount());
            assertEquals(0, view.getEpoch());
            assertEquals("run-a", view.getRunId());
            assertEquals("test-source", view.getDataset());
            assertEquals(2, view.getLabel());
            assertEquals(11L, view.getSeed());
            assertEquals(ViewSeeds.derive(11L, "s-1", v, 0), view.getViewSeed());
            assertEquals(ViewFactory.toSteps(AugmentationPresets.forDigits()), view.getRecipe());
            assertEquals(List.of(3, 4, 5), view.getTensor().getShape());
            assertArrayEquals(ViewFactory.recreate(view, IMAGE), bytes(view.getTensor().getData()));
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void shouldDecodePngAndUint8Payloads() {
        Image gray = new Image(1, 4, 4, new float[16]);
        samples.pipeInput("p", imageSample("p", "image/png", ImageCodec.encodePng(gray)));
        byte[] u8 = new byte[12];
        u8[3] = (byte) 255;
        samples.pipeInput("u", tensorSample("u", 0, DType.UINT8, List.of(3, 4), u8));
        List<TestRecord<String, AugmentedView>> out = views.readRecordsToList();
        assertEquals(6, out.size());
        assertEquals(List.of(1, 4, 4), out.get(0).value().getTensor().getShape());
        assertEquals(2, out.get(0).value().getTaskId());
        assertEquals(List.of(1, 3, 4), out.get(3).value().getTensor().getShape());
        float[] expected = new float[12];
        expected[3] = 1f;
        assertArrayEquals(ViewFactory.recreate(out.get(3).value(), new Image(1, 3, 4, expected)),
                bytes(out.get(3).value().getTensor().getData()));
    }

    private DeadLetter onlyDeadLetter(String expectedType) {
        assertTrue(views.isEmpty(), "a rejected sample must not produce views");
        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0).value();
        assertEquals(expectedType, letter.getErrorType());
        assertEquals(CATALOG.samples().name(), letter.getSourceTopic());
        assertEquals(AugmentTopology.WORKER, letter.getWorker());
        assertEquals(expectedType, new String(letters.get(0).headers().lastHeader(DeadLetters.HEADER_ERROR_TYPE).value(),
                StandardCharsets.UTF_8));
        return letter;
    }

    @Test
    void shouldDeadLetterAnUnknownMediaType() {
        Sample s = imageSample("g", "image/gif", new byte[] {1, 2});
        samples.pipeInput("g", s);
        DeadLetter letter = onlyDeadLetter(SampleCheck.UNKNOWN_MEDIA_TYPE);
        assertTrue(letter.getReason().contains("image/gif"), letter.getReason());
        assertEquals(s, EventCodec.of(Sample.class).decode(bytes(letter.getValue())));
        assertEquals("g", new String(bytes(letter.getKey()), StandardCharsets.UTF_8));
    }

    @Test
    void shouldDeadLetterAnUndecodableImage() {
        samples.pipeInput("x", imageSample("x", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}));
        assertTrue(onlyDeadLetter(SampleCheck.UNDECODABLE_IMAGE).getReason().contains("sample x"));
    }

    @Test
    void shouldDeadLetterAShapeDisagreeingWithTheByteLength() {
        samples.pipeInput("b", tensorSample("b", 0, DType.FLOAT32, List.of(3, 4, 5), new byte[4 * 59]));
        String reason = onlyDeadLetter(SampleCheck.SHAPE_MISMATCH).getReason();
        assertTrue(reason.contains("240") && reason.contains("236"), reason);
    }

    @Test
    void shouldDeadLetterAShapeThatIsNotAnImage() {
        samples.pipeInput("b", tensorSample("b", 0, DType.FLOAT32, List.of(2, 2, 2, 2), new byte[64]));
        onlyDeadLetter(SampleCheck.SHAPE_MISMATCH);
    }

    @Test
    void shouldDeadLetterALabelOutsideTheClasses() {
        samples.pipeInput("l", tensorSample("l", 7, DType.FLOAT32, List.of(3, 4, 5), IMAGE.toFloat32LE()));
        assertTrue(onlyDeadLetter(SampleCheck.LABEL_OUT_OF_RANGE).getReason().contains("label 7"));
    }

    @Test
    void shouldDeadLetterFloatValuesOutsideTheUnitRange() {
        byte[] data = new Image(1, 1, 2, new float[] {0.5f, Float.NaN}).toFloat32LE();
        samples.pipeInput("n", tensorSample("n", 0, DType.FLOAT32, List.of(1, 1, 2), data));
        onlyDeadLetter(SampleCheck.VALUE_OUT_OF_RANGE);
    }

    @Test
    void shouldDeadLetterUndecodableBytesInTheTopologyAndKeepGoing() {
        rawSamples.pipeInput("junk", new byte[] {1, 2, 3, 4});
        samples.pipeInput("s-2", tensorSample("s-2", 1, DType.FLOAT32, List.of(3, 4, 5), IMAGE.toFloat32LE()));
        assertEquals(3, views.readRecordsToList().size(), "the stage must go on after an undecodable record");
        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertEquals(1, letters.size(), "the bad record is dead-lettered by the topology, once");
        DeadLetter letter = letters.get(0).value();
        assertEquals("junk", letters.get(0).key());
        assertEquals(SampleCheck.DESERIALIZATION, letter.getErrorType());
        assertEquals(SampleCheck.DESERIALIZATION, new String(letters.get(0).headers()
                .lastHeader(DeadLetters.HEADER_ERROR_TYPE).value(), StandardCharsets.UTF_8));
        assertEquals(CATALOG.samples().name(), letter.getSourceTopic());
        assertEquals(0L, letter.getOffset());
        assertEquals(AugmentTopology.WORKER, letter.getWorker());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, bytes(letter.getValue()));
        assertTrue(letter.getReason().contains("C3 01") && letter.getReason().contains(CATALOG.samples().name()),
                letter.getReason());
    }

    @Test
    void shouldDeadLetterTheRecordsOriginalBytes() {
        byte[] original = TOPICS.samples().valueSerde().serializer().serialize(CATALOG.samples().name(),
                tensorSample("o", 9, DType.FLOAT32, List.of(3, 4, 5), IMAGE.toFloat32LE()));
        rawSamples.pipeInput("o", original);
        assertArrayEquals(original, bytes(onlyDeadLetter(SampleCheck.LABEL_OUT_OF_RANGE).getValue()));
    }

    @Test
    void shouldSkipATombstone() {
        rawSamples.pipeInput("t", (byte[]) null);
        assertTrue(views.isEmpty());
        assertTrue(deadLetters.isEmpty());
    }
}
