package dev.moat.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived child JVM (same java as the test) and captures its exit status, stdout and stderr. */
final class ChildJvm {

    /** What a child JVM did. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private ChildJvm() {
    }

    static Path agentJar() {
        return Paths.get(System.getProperty("moat.agent.jar", "target/moat-agent.jar")).toAbsolutePath();
    }

    static Path testClasses() {
        return Paths.get("target/test-classes").toAbsolutePath();
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code java <jvmArgs...> <mainAndArgs...>} with extra environment variables. */
    static Result run(Map<String, String> env, List<String> jvmArgs, String... mainAndArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.addAll(List.of(mainAndArgs));
        return exec(env, command);
    }

    /** Runs {@code command} (a java executable and its arguments) with extra environment variables. */
    static Result exec(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("moat-child", ".out");
        Path err = Files.createTempFile("moat-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("MOAT_"));
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in 60 s: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the {@link Hello} test program under the agent with the given agent arguments. */
    static Result hello(String agentArgs, Map<String, String> env) throws IOException, InterruptedException {
        String agent = "-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs);
        return run(env, List.of(agent, "-cp", testClasses().toString()), Hello.class.getName());
    }
}
