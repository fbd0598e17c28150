package dev.moat.core.policy;

/** What to do with credential literals found in loaded bytecode. */
public enum HardcodedSecretAction implements PolicyKeyword {
    /** Record each use of a hardcoded secret in the audit log. */
    REPORT("report"),
    /** Refuse the use of a hardcoded secret (substituting {@code secrets.fromEnv} where mapped). */
    BLOCK("block");

    private final String keyword;

    HardcodedSecretAction(String keyword) {
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
