package dev.moat.demo.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A thread-safe, append-only list of text lines (a child's stderr or stdout) that tests can read at any
 * time and wait on with a bound.
 */
public final class LineBuffer implements Consumer<String> {

    private final List<String> lines = new ArrayList<>();

    /** Appends a line; wakes up waiters. */
    @Override
    public synchronized void accept(String line) {
        lines.add(line);
        notifyAll();
    }

    /** A snapshot of all lines so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** All lines so far, joined with newlines. */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    /** The lines so far that start with {@code prefix}. */
    public synchronized List<String> linesStartingWith(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The first line so far matching {@code predicate}, if any. */
    public synchronized Optional<String> find(Predicate<String> predicate) {
        return lines.stream().filter(predicate).findFirst();
    }

    /**
     * Waits until a line matches {@code predicate} (lines already there count).
     *
     * @return the first matching line, or empty when {@code timeout} passed first
     */
    public synchronized Optional<String> await(Predicate<String> predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (predicate.test(lines.get(checked))) {
                    return Optional.of(lines.get(checked));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Like {@link #await}, but fails with the buffer's content when no line matched in time. */
    public String awaitOrFail(Predicate<String> predicate, Duration timeout, String what) throws InterruptedException {
        return await(predicate, timeout).orElseThrow(() -> new AssertionError(
                "no " + what + " within " + timeout + "; lines so far:\n" + text()));
    }
}
