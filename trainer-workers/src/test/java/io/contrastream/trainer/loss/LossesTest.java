package io.contrastream.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void shouldRoundTripConfigThroughStringMap() {
        LossConfig config = new LossConfig("infonce", 0.2f, Map.of("mochi.hardest", "8", "mochi.seed", "3"));
        assertEquals(config, LossConfig.fromMap(config.toMap()));
    }

    @Test
    void shouldBuildDecoratorsFromParameters() {
        assertInstanceOf(MochiLoss.class,
                Losses.create(new LossConfig("infonce", 0.2f, Map.of("mochi.hardest", "8"))));
        ContrastiveLoss co2l = Losses.create(LossConfig.of("co2l", 0.5f));
        assertInstanceOf(RelationDistillationLoss.class, co2l);
        assertTrue(co2l.usesTeacher());
        assertInstanceOf(DecoupledContrastiveLoss.class, Losses.create(LossConfig.of("DCL", 0.1f)));
        assertInstanceOf(MannWhitneyLoss.class, Losses.create(LossConfig.of("mw", 0.1f)));
    }

    @Test
    void shouldNameUnknownNamesAndParameters() {
        assertEquals("name", assertThrows(InvalidLossConfigException.class,
                () -> LossConfig.of("triplet", 0.1f)).field());
        assertEquals("mochi.k", assertThrows(InvalidLossConfigException.class,
                () -> new LossConfig("infonce", 0.1f, Map.of("mochi.k", "3"))).field());
        assertEquals("temperature", assertThrows(InvalidLossConfigException.class,
                () -> LossConfig.of("infonce", 0f)).field());
        assertEquals("anchors", assertThrows(InvalidLossConfigException.class,
                () -> Losses.create(new LossConfig("rehearsal-supcon", 0.1f, Map.of("anchors", "all")))).field());
        assertEquals("mochi.hardest", assertThrows(InvalidLossConfigException.class,
                () -> Losses.create(new LossConfig("infonce", 0.1f, Map.of("mochi.hardest", "x")))).field());
    }
}
