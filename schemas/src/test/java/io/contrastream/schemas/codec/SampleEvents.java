package io.contrastream.schemas.codec;

import io.contrastream.schemas.Attachment;
import io.contrastream.schemas.AugmentationStep;
import io.contrastream.schemas.AugmentedView;
import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.CheckpointEvent;
import io.contrastream.schemas.DType;
import io.contrastream.schemas.DeadLetter;
import io.contrastream.schemas.EncodedImage;
import io.contrastream.schemas.HardNegativeSet;
import io.contrastream.schemas.MetricRecord;
import io.contrastream.schemas.MetricStatus;
import io.contrastream.schemas.Provenance;
import io.contrastream.schemas.ReplayEntry;
import io.contrastream.schemas.Sample;
import io.contrastream.schemas.TaskEvent;
import io.contrastream.schemas.TaskPhase;
import io.contrastream.schemas.Tensor;
import io.contrastream.schemas.TopicPartitionOffset;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fixed, fully populated instance of every event type: the content of the golden files. */
public final class SampleEvents {
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private SampleEvents() {
    }

    public static Tensor tensor() {
        return Tensor.newBuilder().setDtype(DType.FLOAT32).setShape(List.of(1, 2, 2))
                .setData(ByteBuffer.wrap(new byte[]{0, 0, -128, 63, 0, 0, 0, 0, 0, 0, 0, 63, 0, 0, 0, 0})).build();
    }

    public static List<SpecificRecord> all() {
        return List.of(
                Sample.newBuilder().setSampleId("mnist/train/000001").setLabel(7).setTaskId(3)
                        .setPayload(EncodedImage.newBuilder().setMediaType("image/png")
                                .setData(ByteBuffer.wrap(new byte[]{(byte) 0x89, 'P', 'N', 'G'})).build())
                        .setSource("golden").setEventTime(T0).build(),
                AugmentedView.newBuilder().setRunId("run-1").setSampleId("mnist/train/000001").setViewIndex(1)
                        .setViewCount(2).setEpoch(0).setLabel(7).setTaskId(3).setDataset("mnist").setTensor(tensor())
                        .setRecipe(List.of(AugmentationStep.newBuilder().setName("gaussian-noise").setProbability(0.5)
                                .setParams(Map.of("sigma", 0.1)).build()))
                        .setSeed(42L).setViewSeed(-7L).setProducedAt(T0).setOriginal(tensor()).build(),
                TaskEvent.newBuilder().setRunId("run-1").setTaskId(0).setTaskCount(5).setClasses(List.of(0, 1))
                        .setPhase(TaskPhase.START).setEpochs(1).setSampleCount(12000).setViewCount(2)
                        .setTimestamp(T0).build(),
                HardNegativeSet.newBuilder().setRunId("run-1").setAnchorId("mnist/train/000001")
                        .setCandidates(List.of(new Candidate("mnist/train/000002", 0.75f)))
                        .setMinedWithStep(100L).setMinedAt(T0).build(),
                CheckpointEvent.newBuilder().setRunId("run-1").setStep(100L).setTaskId(0).setTaskEnd(true)
                        .setParameterUri("file:///tmp/ckpt/run-1-000100.params")
                        .setSha256("00".repeat(32)).setByteSize(1234L)
                        .setEncoderSpec(Map.of("kind", "MLP")).setLossConfig(Map.of("name", "infonce"))
                        .setOffsets(List.of(new TopicPartitionOffset("contrastream.views", 0, 77L)))
                        .setAttachments(List.of(new Attachment("replay", "file:///tmp/ckpt/run-1-000100.replay",
                                "11".repeat(32), 99L)))
                        .setProvenance(Provenance.newBuilder().setConfig(Map.of("lr", "0.001")).setSeed(1L)
                                .setCodeVersion("0.1.0").setJavaVersion("17").setOs("Linux").setArch("amd64")
                                .setDevice("cpu()").build())
                        .setCreatedAt(T0).build(),
                MetricRecord.newBuilder().setRunId("run-1").setStep(100L).setTaskId(0).setMetric("recall@1")
                        .setValue(0.875).setSplit("test").setLabels(Map.of("suite", "fast"))
                        .setStatus(MetricStatus.OK).setCreatedAt(T0).build(),
                ReplayEntry.newBuilder().setRunId("run-1").setSlot(5).setSampleId("mnist/train/000001").setLabel(7)
                        .setTaskId(3).setTensor(tensor()).setSeen(10L).build(),
                DeadLetter.newBuilder().setSourceTopic("contrastream.views").setPartition(2).setOffset(17L)
                        .setKey(ByteBuffer.wrap(new byte[]{'k'})).setValue(ByteBuffer.wrap(new byte[]{1, 2}))
                        .setErrorType("WRONG_MAGIC").setReason("bad").setWorker("trainer-0").setFailedAt(T0).build());
    }
}
