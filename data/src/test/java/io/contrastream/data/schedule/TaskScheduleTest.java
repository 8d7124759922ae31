package io.contrastream.data.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TaskScheduleTest {

    @Test
    void shouldSplitTenClassesIntoFivePairsInOrder() {
        TaskSchedule s = TaskSchedule.split(10, 5);
        assertEquals(5, s.size());
        assertEquals(Set.of(0, 1), s.task(0).classes());
        assertEquals(Set.of(8, 9), s.task(4).classes());
        assertEquals("0,1;2,3;4,5;6,7;8,9", s.format());
    }

    @Test
    void shouldGiveEarlierTasksTheExtraClassesWhenUneven() {
        assertEquals("0,1,2;3,4;5,6", TaskSchedule.split(7, 3).format());
    }

    @Test
    void shouldShuffleClassOrderDeterministicallyCoveringAllClasses() {
        TaskSchedule a = TaskSchedule.shuffled(10, 5, 11L);
        assertEquals(a, TaskSchedule.shuffled(10, 5, 11L));
        assertNotEquals(a.format(), TaskSchedule.shuffled(10, 5, 12L).format());
        TreeSet<Integer> all = new TreeSet<>();
        a.tasks().forEach(t -> {
            assertEquals(2, t.classes().size());
            all.addAll(t.classes());
        });
        assertEquals(10, all.size());
    }

    @Test
    void shouldPutAllClassesInOneTaskForJoint() {
        TaskSchedule j = TaskSchedule.joint(10);
        assertEquals(1, j.size());
        assertEquals(10, j.task(0).classes().size());
    }

    @Test
    void shouldParseUserSplitAndRoundTrip() {
        TaskSchedule s = TaskSchedule.parse(" 3, 1 ; 0,2;4 ", 5);
        assertEquals(List.of(new Task(0, new TreeSet<>(Set.of(1, 3))), new Task(1, new TreeSet<>(Set.of(0, 2))),
                new Task(2, new TreeSet<>(Set.of(4)))), s.tasks());
        assertEquals(s, TaskSchedule.parse(s.format(), 5));
    }

    @Test
    void shouldNameTheBadTokenInParseErrors() {
        assertMessage("0,1;2,x", 10, "'x' is not a class number");
        assertMessage("0,1;2,10", 10, "class '10' is outside [0, 10)");
        assertMessage("0,1;1,2", 10, "class '1' is already in task 0");
        assertMessage("0,1;;2", 10, "Task 1");
        assertMessage("0,,1", 10, "'' is not a class number");
        assertMessage("-1", 10, "class '-1' is outside");
    }

    private static void assertMessage(String spec, int numClasses, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskSchedule.parse(spec, numClasses));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldRejectOverlappingTasksAndBadCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskSchedule(4,
                List.of(new Task(0, new TreeSet<>(Set.of(0, 1))), new Task(1, new TreeSet<>(Set.of(1, 2))))));
        assertTrue(e.getMessage().contains("Class 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskSchedule.split(10, 11));
        assertThrows(IllegalArgumentException.class, () -> TaskSchedule.split(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new Task(0, new TreeSet<>()));
    }
}
