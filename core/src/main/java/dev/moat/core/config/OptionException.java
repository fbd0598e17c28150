package dev.moat.core.config;

/**
 * An agent option that cannot be used: an unknown key or malformed pair in the agent argument,
 * or a value of the wrong kind. The message names the key, the value, the source and what is
 * allowed, for example {@code invalid value 'yes' for option failOpen (system property moat.failOpen):
 * expected true or false}.
 */
public final class OptionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final OptionSource source;

    /**
     * @param message the full message
     * @param key     the option key concerned, or null when the pair had none
     * @param value   the value concerned, or null
     * @param source  where it came from
     */
    public OptionException(String message, String key, String value, OptionSource source) {
        super(message);
        this.key = key;
        this.value = value;
        this.source = source;
    }

    /** The option key as written (may be unknown), or null. */
    public String key() {
        return key;
    }

    /** The offending value, or null. */
    public String value() {
        return value;
    }

    /** Where the offending setting came from. */
    public OptionSource source() {
        return source;
    }
}
