package io.contrastream.data.schedule;

import io.contrastream.data.internal.Mix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A class-incremental schedule: an ordered list of tasks with pairwise disjoint class sets drawn from
 * {@code [0, numClasses)}. Classes not in any task are never streamed.
 *
 * @param numClasses number of classes of the dataset
 * @param tasks      tasks in order; ids must be 0, 1, 2, ...
 */
public record TaskSchedule(int numClasses, List<Task> tasks) {

    /** Validates: non-empty, ids sequential, classes in range and disjoint. */
    public TaskSchedule {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("TaskSchedule numClasses must be > 0, got " + numClasses);
        }
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("TaskSchedule must have at least one task");
        }
        tasks = List.copyOf(tasks);
        int[] owner = new int[numClasses];
        Arrays.fill(owner, -1);
        for (int t = 0; t < tasks.size(); t++) {
            Task task = tasks.get(t);
            if (task.id() != t) {
                throw new IllegalArgumentException("TaskSchedule task at position " + t + " has id " + task.id()
                        + ", expected " + t);
            }
            for (int c : task.classes()) {
                if (c >= numClasses) {
                    throw new IllegalArgumentException("Task " + t + " class " + c + " is outside [0, " + numClasses + ")");
                }
                if (owner[c] >= 0) {
                    throw new IllegalArgumentException("Class " + c + " is in both task " + owner[c] + " and task " + t
                            + "; tasks must be disjoint");
                }
                owner[c] = t;
            }
        }
    }

    /** Classes {@code 0..numClasses-1} in order, cut into {@code numTasks} consecutive groups (earlier ones larger). */
    public static TaskSchedule split(int numClasses, int numTasks) {
        int[] order = new int[numClasses];
        for (int i = 0; i < numClasses; i++) {
            order[i] = i;
        }
        return fromOrder(numClasses, numTasks, order);
    }

    /** As {@link #split} but the class order is a seeded Fisher-Yates shuffle. */
    public static TaskSchedule shuffled(int numClasses, int numTasks, long seed) {
        int[] order = new int[Math.max(numClasses, 0)];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Mix64.mix(seed));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return fromOrder(numClasses, numTasks, order);
    }

    /** All classes in a single task (joint training, the upper-bound baseline). */
    public static TaskSchedule joint(int numClasses) {
        return split(numClasses, 1);
    }

    /**
     * Parses a user-given split such as {@code "0,1;2,3;4,5;6,7;8,9"}: tasks separated by {@code ;}, classes by
     * {@code ,}, whitespace ignored.
     *
     * @throws IllegalArgumentException naming the offending token
     */
    public static TaskSchedule parse(String spec, int numClasses) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("Task split is empty; expected e.g. \"0,1;2,3\"");
        }
        String[] parts = spec.split(";", -1);
        List<Task> tasks = new ArrayList<>();
        int[] owner = new int[Math.max(numClasses, 0)];
        Arrays.fill(owner, -1);
        for (int t = 0; t < parts.length; t++) {
            TreeSet<Integer> classes = new TreeSet<>();
            if (parts[t].isBlank()) {
                throw new IllegalArgumentException("Task " + t + " in \"" + spec + "\" is empty");
            }
            for (String raw : parts[t].split(",", -1)) {
                String token = raw.strip();
                int c;
                try {
                    c = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Task " + t + " in \"" + spec + "\": '" + token
                            + "' is not a class number", e);
                }
                if (c < 0 || c >= numClasses) {
                    throw new IllegalArgumentException("Task " + t + " in \"" + spec + "\": class '" + token
                            + "' is outside [0, " + numClasses + ")");
                }
                if (owner[c] >= 0) {
                    throw new IllegalArgumentException("Task " + t + " in \"" + spec + "\": class '" + token
                            + "' is already in task " + owner[c]);
                }
                owner[c] = t;
                classes.add(c);
            }
            tasks.add(new Task(t, classes));
        }
        return new TaskSchedule(numClasses, tasks);
    }

    private static TaskSchedule fromOrder(int numClasses, int numTasks, int[] order) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be > 0, got " + numClasses);
        }
        if (numTasks <= 0 || numTasks > numClasses) {
            throw new IllegalArgumentException("numTasks must be in [1, " + numClasses + "], got " + numTasks);
        }
        List<Task> tasks = new ArrayList<>();
        int pos = 0;
        for (int t = 0; t < numTasks; t++) {
            int size = numClasses / numTasks + (t < numClasses % numTasks ? 1 : 0);
            TreeSet<Integer> classes = new TreeSet<>();
            for (int i = 0; i < size; i++) {
                classes.add(order[pos++]);
            }
            tasks.add(new Task(t, classes));
        }
        return new TaskSchedule(numClasses, tasks);
    }

    /** Number of tasks. */
    public int size() {
        return tasks.size();
    }

    /** Task {@code id}. */
    public Task task(int id) {
        return tasks.get(id);
    }

    /** Canonical text form, parseable by {@link #parse}: e.g. {@code 0,1;2,3}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Task t : tasks) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            StringBuilder part = new StringBuilder();
            for (int c : t.classes()) {
                if (part.length() > 0) {
                    part.append(',');
                }
                part.append(c);
            }
            sb.append(part);
        }
        return sb.toString();
    }
}
