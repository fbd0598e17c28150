package dev.moat.core.policy;

/** Where the {@code files} rules apply. */
public enum FileScope implements PolicyKeyword {
    /** Every file access of the whole JVM (its own runtime needs excepted). */
    PROCESS("process"),
    /** Only file accesses made while a tool call runs. */
    TOOL_CALLS("tool-calls");

    private final String keyword;

    FileScope(String keyword) {
        this.keyword = keyword;
    }

    @Override
    public String keyword() {
        return keyword;
    }

    @Override
    public String toString() {
        return keyword;
    }
}
