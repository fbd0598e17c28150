package dev.moat.core.enforce;

import java.util.Arrays;

/** The exceptions a denial is reported with, as the application will see them. */
final class Denials {

    private Denials() {
    }

    /** {@code t} without the agent's own frames on top: the trace starts where the application's JDK call is. */
    static <T extends Throwable> T trimmed(T t) {
        StackTraceElement[] trace = t.getStackTrace();
        int first = 0;
        while (first < trace.length - 1 && trace[first].getClassName().startsWith("dev.moat.")) {
            first++;
        }
        t.setStackTrace(Arrays.copyOfRange(trace, first, trace.length));
        return t;
    }
}
