package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Map;

/**
 * One tool of the demo server: its MCP definition (name, description, input schema) and its logic.
 *
 * <p>Implementations are plain classes with no SDK plumbing beyond the result type, so their logic can
 * be unit-tested in-process. Failures are reported by throwing: {@link ToolException} for an expected
 * error with a user-facing message, any other exception for the unexpected; {@code DemoTools} turns
 * both into an {@code isError} result.
 */
public interface DemoTool {

    /** The MCP tool definition announced by {@code tools/list}. */
    Tool definition();

    /**
     * Runs the tool.
     *
     * @param arguments the {@code tools/call} arguments, never null (empty when the client sent none)
     * @return the result to send back to the client
     * @throws Exception on any failure; the caller reports it as an {@code isError} result
     */
    CallToolResult call(Map<String, Object> arguments) throws Exception;

    /** The tool's name, as announced. */
    default String name() {
        return definition().name();
    }

    /** A successful result carrying one text content. */
    static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    /** An error result ({@code isError=true}) carrying one text content. */
    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
