package io.contrastream.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.contrastream.schemas.Candidate;
import io.contrastream.schemas.HardNegativeSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardNegativeIndexTest {
    static HardNegativeSet set(String run, String anchor, long step, String... candidates) {
        return HardNegativeSet.newBuilder().setRunId(run).setAnchorId(anchor).setMinedWithStep(step)
                .setMinedAt(Instant.ofEpochMilli(0))
                .setCandidates(java.util.Arrays.stream(candidates)
                        .map(c -> new Candidate(c, 0.5f)).toList()).build();
    }

    @Test
    void shouldKeepTheSetWithTheHighestMinedStepPerAnchorOfItsRun() {
        HardNegativeIndex index = new HardNegativeIndex("run");
        index.accept(set("run", "a", 10, "x", "y"));
        index.accept(set("run", "a", 5, "old"));       // older step arriving later: ignored
        index.accept(set("other", "b", 99, "z"));       // another run: ignored
        index.accept(set("run", "c", 3, "p"));
        index.accept(set("run", "c", 3, "q", "r"));     // same step, later: replaces, as compaction keeps the last
        index.accept(set("run", "c", 4, "s"));
        assertEquals(List.of("x", "y"), index.candidates("a"));
        assertEquals(List.of(), index.candidates("b"));
        assertEquals(List.of("s"), index.candidates("c"));
        assertEquals(2, index.anchors());
        assertEquals(4, index.accepted());
        assertEquals(1, index.stale());
    }
}
