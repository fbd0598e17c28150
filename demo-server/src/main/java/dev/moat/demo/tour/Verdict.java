package dev.moat.demo.tour;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.stream.Collectors;

/**
 * What happened to an attack, judged from the client's side only: the result the MCP client received.
 */
public enum Verdict {
    /** The call returned an error (the agent, or the tool, refused). */
    BLOCKED,
    /** The call succeeded but the answer was changed: the unprotected answer's tell-tale is gone. */
    REWRITTEN,
    /** The call succeeded and the answer is what the unprotected server returns. */
    ALLOWED;

    /**
     * Judges a result.
     *
     * @param result the tool result; null when the call failed at the protocol level (a JSON-RPC error)
     * @param leak the string the unprotected answer contains
     */
    public static Verdict of(CallToolResult result, String leak) {
        if (result == null || Boolean.TRUE.equals(result.isError())) {
            return BLOCKED;
        }
        return text(result).contains(leak) ? ALLOWED : REWRITTEN;
    }

    /** The concatenated text contents of a result. */
    public static String text(CallToolResult result) {
        return result.content().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
