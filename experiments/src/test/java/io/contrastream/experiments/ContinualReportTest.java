package io.contrastream.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.contrastream.data.schedule.TaskSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContinualReportTest {
    private static final double NaN = Double.NaN;

    /**
     * Hand-made 3-task matrix:
     * <pre>
     *   R = [0.9  -    -  ]     A_2  = (0.7 + 0.6 + 0.8) / 3        = 0.7
     *       [0.8  0.9  -  ]     F_2  = ((0.9-0.7) + (0.9-0.6)) / 2  = 0.25
     *       [0.7  0.6  0.8]     BWT  = ((0.7-0.9) + (0.6-0.9)) / 2  = -0.25
     *   P[0][1] = 0.5, P[1][2] = 0.6, b = [0.5, 0.4, 0.4]
     *                           FWT  = ((0.5-0.4) + (0.6-0.4)) / 2  = 0.15
     *                           LA   = (0.9 + 0.9 + 0.8) / 3        = 0.8666...
     * </pre>
     */
    static ContinualResult handMade() {
        double[][] r = {{0.9, NaN, NaN}, {0.8, 0.9, NaN}, {0.7, 0.6, 0.8}};
        double[][] p = {{NaN, 0.5, NaN}, {NaN, NaN, 0.6}, {NaN, NaN, NaN}};
        ContinualExperimentConfig config = ContinualExperimentConfig.builder().setDataset("synthetic").optTasks(3)
                .build();
        return new ContinualResult(config, TaskSchedule.parse("0,1;2,3;4,5", 6), r, p,
                new double[] {0.5, 0.4, 0.4},
                new ContinualResult.DataSizes("synthetic", new int[] {10, 10, 10, 10, 10, 10},
                        new int[] {5, 5, 5, 5, 5, 5}),
                42, 1.5, 0.5, new TreeMap<>(java.util.Map.of(4, 3, 5, 2)));
    }

    @Test
    void shouldComputeTheSummaryOfAHandMadeMatrix() {
        ContinualResult r = handMade();
        assertEquals(0.7, r.averageAccuracy().getAsDouble(), 1e-12);
        assertEquals(0.25, r.forgetting().getAsDouble(), 1e-12);
        assertEquals(-0.25, r.backwardTransfer().getAsDouble(), 1e-12);
        assertEquals(0.15, r.forwardTransfer().getAsDouble(), 1e-12);
        assertEquals(2.6 / 3, r.learningAccuracy().getAsDouble(), 1e-12);
    }

    @Test
    void shouldWriteMatrixSummaryConfigAndSizesAsJsonAndCsv(@TempDir Path dir) throws Exception {
        ContinualReport.Written files = ContinualReport.write(handMade(), dir.resolve("out"), "run");
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        assertEquals(0.8, json.at("/accuracyMatrix/1/0").asDouble(), 1e-12);
        assertTrue(json.at("/accuracyMatrix/0/1").isNull(), "untrained entries are null");
        assertEquals(0.7, json.at("/summary/averageAccuracy/value").asDouble(), 1e-12);
        assertEquals(0.25, json.at("/summary/forgetting/value").asDouble(), 1e-12);
        assertTrue(json.at("/summary/forgetting/reference").asText().contains("Chaudhry"));
        assertTrue(json.at("/summary/backwardTransfer/reference").asText().contains("Lopez-Paz"));
        assertEquals(60, json.at("/datasetSizes/train").asInt());
        assertEquals(30, json.at("/datasetSizes/test").asInt());
        assertEquals("synthetic", json.at("/config/dataset").asText());
        assertEquals("2,3", json.at("/evaluationTasks/1").asText());
        assertEquals(42, json.at("/steps").asInt());

        List<String> matrix = Files.readAllLines(files.matrixCsv());
        assertEquals(List.of("after_phase,task 0 1,task 2 3,task 4 5", "0,0.9000,,", "1,0.8000,0.9000,",
                "2,0.7000,0.6000,0.8000"), matrix);

        List<String> summary = Files.readAllLines(files.summaryCsv());
        assertEquals("section,key,value,note", summary.get(0));
        assertTrue(summary.get(1).startsWith("metric,averageAccuracy,0.7000,"), summary.get(1));
        assertTrue(summary.contains("metric,backwardTransfer,-0.2500,\"BWT = 1/T * sum_{j<T} (R[T][j] - R[j][j])"
                + " [Lopez-Paz and Ranzato 2017, Gradient Episodic Memory (NeurIPS), Sec. 3]\""), summary.toString());
        assertTrue(summary.contains("data,train,60,samples"));
        assertTrue(summary.contains("config,bufferSize,2000,"));
        assertTrue(summary.contains("config,loss.name,supcon,"));
    }

    @Test
    void shouldReportOnlyAverageAccuracyForAJointRun() {
        double[][] r = {{0.9, 0.8, 0.7}};
        ContinualExperimentConfig config = ContinualExperimentConfig.builder().setDataset("synthetic").optTasks(3)
                .optBaseline(BaselineMode.JOINT).build();
        ContinualResult joint = new ContinualResult(config, TaskSchedule.parse("0,1;2,3;4,5", 6), r,
                new double[0][], new double[0], new ContinualResult.DataSizes("synthetic", new int[6], new int[6]),
                1, 0, 0, new TreeMap<>());
        assertEquals(0.8, joint.averageAccuracy().getAsDouble(), 1e-12);
        assertEquals(List.of("averageAccuracy"), List.copyOf(joint.summary().keySet()));
    }
}
