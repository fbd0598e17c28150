package dev.moat.core.policy;

/** The JSON type a tool argument must have. */
public enum ArgType implements PolicyKeyword {
    /** A string naming a file, which must lie inside the tool's file roots. */
    PATH("path"),
    /** A JSON string. */
    STRING("string"),
    /** A JSON number without a fractional part. */
    INTEGER("integer"),
    /** Any JSON number. */
    NUMBER("number"),
    /** A JSON boolean. */
    BOOLEAN("boolean");

    private final String keyword;

    ArgType(String keyword) {
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
