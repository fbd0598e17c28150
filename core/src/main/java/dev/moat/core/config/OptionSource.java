package dev.moat.core.config;

/** Where an agent option's value came from, highest precedence first. */
public enum OptionSource {
    /** {@code -javaagent:moat-agent.jar=KEY=VALUE,KEY=VALUE}. */
    AGENT_ARGUMENT("agent argument"),
    /** {@code -Dmoat.KEY=VALUE}. */
    SYSTEM_PROPERTY("system property"),
    /** {@code MOAT_KEY=VALUE}. */
    ENVIRONMENT("environment variable");

    private final String label;

    OptionSource(String label) {
        this.label = label;
    }

    /** How the source reads in messages: "agent argument", "system property", "environment variable". */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
