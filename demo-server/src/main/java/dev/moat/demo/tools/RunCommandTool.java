package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code run_command(command)}: runs a shell command and returns its exit code and combined output.
 *
 * <p><b>Deliberately unsafe</b> (mistake: no sandbox): the string is handed to {@code /bin/sh -c}, so
 * the client — or whoever injected a prompt into it — has a shell on the host with the server's
 * privileges.
 */
public final class RunCommandTool implements DemoTool {

    private static final long TIMEOUT_SECONDS = 30;

    @Override
    public Tool definition() {
        return Tool.builder("run_command", InputSchema.object().string("command", "The shell command line to run").build())
                .description("Runs a shell command with /bin/sh -c and returns its exit code and output (stdout "
                        + "and stderr). DELIBERATELY UNSAFE demo tool: arbitrary command execution on the host.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        String command = ToolArgs.string(arguments, "command");
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "run_command-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new ToolException("command timed out after " + TIMEOUT_SECONDS + "s: " + command);
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return DemoTool.text("exit code: " + process.exitValue() + "\n" + text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                synchronized (out) {
                    out.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            // the process was killed or closed its output: keep what was read
        }
    }
}
