package dev.moat.demo.tools;

/**
 * An expected tool failure (bad argument, unknown account, insufficient funds...). Its message is sent to
 * the client as is, in an {@code isError} result.
 */
public class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the message the client will see. */
    public ToolException(String message) {
        super(message);
    }
}
