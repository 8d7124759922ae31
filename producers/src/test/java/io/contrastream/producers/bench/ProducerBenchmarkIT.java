package io.contrastream.producers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.contrastream.data.SyntheticShapes;
import io.contrastream.infra.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerBenchmarkIT {

    @Test
    void shouldMeasureEveryPartAndWriteBothReports(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        ProducerBenchmark.Result r = ProducerBenchmark.run(SharedKafka.cluster(), new ProducerBenchmark.Config(
                new SyntheticShapes("train", 300, 1, 28, 28, 1L), 2, 400, 1, 1, 0, 100, 1, dir.resolve("state"), 1, 100),
                log::add);
        assertTrue(r.recordBytes() > 28 * 28 * 4, "an encoded view holds the float tensor: " + r.recordBytes());
        assertTrue(r.plainViewsPerSecond() > 0 && r.producerViewsPerSecond() > 0 && r.makeOnlyViewsPerSecond() > 0);
        assertEquals(r.producerViewsPerSecond() / r.plainViewsPerSecond(), r.ratio(), 1e-9);
        assertTrue(r.augmentSamplesPerSecond() > 0);
        int warmup = r.warmupPairs();
        assertEquals(1, warmup, "with no time for warm-up, only the least number of pairs runs");
        assertTrue(r.warmupSeconds() > 0);
        assertEquals(2 * warmup + 3, r.rounds().size(), "warm-up pairs, then a, b and d of the timed round");
        assertEquals(-1, r.rounds().get(0).round());
        ProducerBenchmark.Round timedB = r.rounds().get(2 * warmup + 1);
        assertEquals(1, timedB.round());
        assertEquals(400, timedB.records());
        assertTrue(timedB.cpuMicrosPerRecord() > 0 && r.plainCpuMicros() > 0 && r.producerCpuMicros() > 0);
        r.writeTo(dir);
        String md = Files.readString(dir.resolve("producer.md"));
        assertTrue(md.contains("ratio b/a") && md.contains("| w1 | a plain |"), md);
        assertTrue(Files.readString(dir.resolve("producer.json")).contains("\"plainViewsPerSecond\""));
    }
}
