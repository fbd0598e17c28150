package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code delete_file(path)}: deletes a file or an empty directory.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no input validation, no sandbox): deletes whatever path it is
 * given through {@code java.nio.file.Files#delete}, with no confinement and no confirmation.
 */
public final class DeleteFileTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("delete_file", InputSchema.object().string("path", "Path of the file to delete").build())
                .description("Deletes a file or an empty directory. DELIBERATELY UNSAFE demo tool: the path is not "
                        + "validated or confined, so anything the server process may delete can be deleted.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String path = ToolArgs.string(arguments, "path");
        Files.delete(Path.of(path));
        return DemoTool.text("Deleted " + path);
    }
}
