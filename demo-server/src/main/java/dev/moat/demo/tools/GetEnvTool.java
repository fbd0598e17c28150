package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Map;

/**
 * {@code get_env(name)}: returns the value of one environment variable of the server process.
 *
 * <p><b>Deliberately unsafe</b> (mistake: hardcoded/exposed secrets, trusting tool output): server
 * processes carry API keys, database passwords and cloud credentials in their environment; this tool hands
 * any of them to the client, verbatim.
 */
public final class GetEnvTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("get_env", InputSchema.object().string("name", "Name of the environment variable").build())
                .description("Returns the value of an environment variable of the server process. DELIBERATELY "
                        + "UNSAFE demo tool: any variable is returned, secrets (API keys, passwords) included.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String name = ToolArgs.string(arguments, "name");
        String value = System.getenv(name);
        if (value == null) {
            throw new ToolException("environment variable '" + name + "' is not set");
        }
        return DemoTool.text(value);
    }
}
