package io.contrastream.data.schedule;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One task of a class-incremental schedule: the classes whose samples are streamed during the task.
 *
 * @param id      task number, 0-based, in schedule order
 * @param classes the task's classes (non-empty, each >= 0); stored as an unmodifiable sorted copy
 */
public record Task(int id, SortedSet<Integer> classes) {

    /** Validates and copies. */
    public Task {
        if (id < 0) {
            throw new IllegalArgumentException("Task id must be >= 0, got " + id);
        }
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("Task " + id + " must have at least one class");
        }
        for (Integer c : classes) {
            if (c == null || c < 0) {
                throw new IllegalArgumentException("Task " + id + " has invalid class " + c);
            }
        }
        classes = Collections.unmodifiableSortedSet(new TreeSet<>(classes));
    }

    /** Whether {@code label} belongs to this task. */
    public boolean contains(int label) {
        return classes.contains(label);
    }
}
