package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code write_file(path, content)}: creates or overwrites a file.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no input validation, no sandbox): writes anywhere the process
 * may write, through {@code java.nio.file.Files}, with no confinement — {@code ~/.bashrc},
 * {@code ~/.ssh/authorized_keys} and the server's own jars included.
 */
public final class WriteFileTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("write_file", InputSchema.object()
                        .string("path", "Path of the file to write")
                        .string("content", "Text to write (UTF-8)")
                        .build())
                .description("Creates or overwrites a text file. DELIBERATELY UNSAFE demo tool: the path is not "
                        + "validated or confined, so any file the server process may write can be replaced.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String path = ToolArgs.string(arguments, "path");
        String content = ToolArgs.string(arguments, "content");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(Path.of(path), bytes);
        return DemoTool.text("Wrote " + bytes.length + " bytes to " + path);
    }
}
