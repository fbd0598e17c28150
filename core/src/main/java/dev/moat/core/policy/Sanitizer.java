package dev.moat.core.policy;

/** A rewrite applied to tool output before the client sees it. */
public enum Sanitizer implements PolicyKeyword {
    /** Escape HTML/XML special characters. */
    HTML("html"),
    /** Strip ANSI/VT terminal escape sequences and control characters. */
    TERMINAL("terminal"),
    /** Strip invisible and bidirectional-override Unicode characters. */
    UNICODE("unicode"),
    /** Redact known secret values (environment, system properties, bytecode literals). */
    SECRETS("secrets");

    private final String keyword;

    Sanitizer(String keyword) {
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
