package dev.moat.core.context;

import dev.moat.core.decision.Decision;
import java.util.Objects;

/**
 * One thing a tool call really touched, as recorded by an enforcement hook: a file opened, a host
 * connected to, a process started, a native library loaded.
 *
 * @param kind      {@code file}, {@code network}, {@code process}, {@code native-library}
 * @param operation what was done, for example {@code read}, {@code write}, {@code connect}, {@code start}
 * @param target    the resolved path, {@code address:port}, or command line (already redacted)
 * @param decision  what the policy said
 */
public record Touch(String kind, String operation, String target, Decision decision) {

    /** The kind of a file access. */
    public static final String FILE = "file";
    /** The kind of a process start. */
    public static final String PROCESS = "process";
    /** The kind of a network connection. */
    public static final String NETWORK = "network";
    /** The kind of a native library load. */
    public static final String NATIVE_LIBRARY = "native-library";

    public Touch {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(decision, "decision");
    }
}
