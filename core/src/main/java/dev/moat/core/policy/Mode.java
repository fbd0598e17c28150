package dev.moat.core.policy;

/** Whether decisions are enforced or only recorded. */
public enum Mode implements PolicyKeyword {
    /** Deny what the policy does not allow. */
    ENFORCE("enforce"),
    /** Decide and record every decision, never deny. */
    MONITOR("monitor");

    private final String keyword;

    Mode(String keyword) {
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
