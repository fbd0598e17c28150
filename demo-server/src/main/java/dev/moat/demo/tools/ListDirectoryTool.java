package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code list_directory(path)}: lists a directory, one entry per line, directories with a trailing
 * {@code /}.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no input validation, no sandbox): lists any directory through
 * {@code java.io.File#listFiles}, with no confinement — a map of the host for an attacker.
 */
public final class ListDirectoryTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("list_directory", InputSchema.object().string("path", "Path of the directory to list").build())
                .description("Lists the entries of a directory (directories end with '/'). DELIBERATELY UNSAFE "
                        + "demo tool: the path is not validated or confined, so any directory on the host can be "
                        + "listed.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String path = ToolArgs.string(arguments, "path");
        File[] entries = new File(path).listFiles();
        if (entries == null) {
            throw new ToolException("not a directory, or not readable: " + path);
        }
        if (entries.length == 0) {
            return DemoTool.text("");
        }
        return DemoTool.text(Arrays.stream(entries)
                .sorted(Comparator.comparing(File::getName))
                .map(f -> f.isDirectory() ? f.getName() + "/" : f.getName())
                .collect(Collectors.joining("\n")));
    }
}
