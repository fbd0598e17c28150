package dev.moat.demo.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The demo server as a plain child process: stdout and stderr are collected line by line into
 * {@link LineBuffer}s, stdin is writable. {@link #close()} always kills the child.
 *
 * <pre>{@code
 * try (DemoServerProcess p = DemoServerProcess.start(DemoServerLaunch.create(), "--transport", "bogus")) {
 *     assertThat(p.awaitExit(Duration.ofSeconds(30))).hasValue(2);
 *     assertThat(p.stderr().text()).contains("unknown transport");
 * }
 * }</pre>
 */
public final class DemoServerProcess implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final LineBuffer stdout = new LineBuffer();
    private final LineBuffer stderr = new LineBuffer();
    private final Thread stdoutPump;
    private final Thread stderrPump;

    private DemoServerProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutPump = pump(process.getInputStream(), stdout, "stdout");
        this.stderrPump = pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts {@code java ... -jar moat-demo-server.jar <serverArgs>} as described by {@code launch}. */
    public static DemoServerProcess start(DemoServerLaunch launch, String... serverArgs) throws IOException {
        List<String> command = launch.command(UUID.randomUUID().toString(), serverArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(launch.env());
        if (launch.workingDirectory() != null) {
            builder.directory(launch.workingDirectory().toFile());
        }
        return new DemoServerProcess(builder.start());
    }

    /** The child's stdout lines. */
    public LineBuffer stdout() {
        return stdout;
    }

    /** The child's stderr lines. */
    public LineBuffer stderr() {
        return stderr;
    }

    /** The child's process handle. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes one line (plus {@code \n}) to the child's stdin and flushes. */
    public void writeLine(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the server's stdin; stderr:\n" + stderr.text(), e);
        }
    }

    /** Closes the child's stdin (end of stream: the stdio server exits). */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * Waits for the child to exit; also waits (briefly) for its output to be fully collected.
     *
     * @return the exit code, or empty if it was still running after {@code timeout}
     */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        stdoutPump.join(2_000);
        stderrPump.join(2_000);
        return OptionalInt.of(process.exitValue());
    }

    /** Kills the child (SIGTERM, then SIGKILL after 3 s) and waits for it, bounded. */
    @Override
    public void close() {
        closeStdin();
        kill(process.toHandle());
    }

    /** Terminates a process and its descendants: SIGTERM, then SIGKILL; bounded waits. */
    static void kill(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more we can do
            }
        }
    }

    private static Thread pump(InputStream in, LineBuffer sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "demo-server-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
