package dev.moat.core.policy;

/** A kind of file access that a {@code files} rule allows or denies. */
public enum Access implements PolicyKeyword {
    /** Open a file for reading, read its attributes. */
    READ("read"),
    /** Open an existing file for writing or truncation. */
    WRITE("write"),
    /** Create a file, directory or link. */
    CREATE("create"),
    /** Delete or rename away a file or directory. */
    DELETE("delete"),
    /** List a directory's entries. */
    LIST("list");

    private final String keyword;

    Access(String keyword) {
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
