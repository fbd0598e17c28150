package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.stream.Collectors;

/** Test helper: the text of a tool result. */
final class DemoToolText {

    private DemoToolText() {
    }

    static String of(CallToolResult result) {
        return result.content().stream().map(c -> ((TextContent) c).text()).collect(Collectors.joining("\n"));
    }
}
