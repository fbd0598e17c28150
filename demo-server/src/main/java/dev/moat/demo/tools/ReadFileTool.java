package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code read_file(path)}: returns a file's content.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no input validation, no sandbox): the path is opened as given
 * with {@code java.io.FileInputStream}, with no confinement to a workspace, so {@code ../secret.txt},
 * {@code /etc/passwd} or {@code ~/.ssh/id_rsa} are all readable. Relative paths resolve against the
 * process working directory.
 */
public final class ReadFileTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("read_file", InputSchema.object().string("path", "Path of the file to read").build())
                .description("Reads a text file and returns its content. DELIBERATELY UNSAFE demo tool: the path is "
                        + "not validated or confined (path traversal such as ../secret.txt works); relative paths "
                        + "resolve against the server's working directory.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String path = ToolArgs.string(arguments, "path");
        try (InputStream in = new FileInputStream(path)) {
            return DemoTool.text(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
