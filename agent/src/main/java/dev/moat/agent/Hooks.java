package dev.moat.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.hooks.ProcessStartAdvice;
import dev.moat.agent.hooks.ToolCallHandlerAdvice;
import java.util.List;

/** Every hook the agent installs, in one place. Adding a hook is one advice class and one line here. */
public final class Hooks {

    private Hooks() {
    }

    /** The hooks, in installation order. */
    public static List<Hook> all() {
        return List.of(
                // Every tools/call of the official MCP Java SDK (0.17 -> 2.1), stateful and stateless.
                new Hook("mcp-tool-call", "McpAsyncServer/McpStatelessAsyncServer#toolsCallRequestHandler",
                        namedOneOf("io.modelcontextprotocol.server.McpAsyncServer",
                                "io.modelcontextprotocol.server.McpStatelessAsyncServer"),
                        named("toolsCallRequestHandler").and(takesArguments(0)).and(isPrivate()),
                        ToolCallHandlerAdvice.class.getName()),
                // ProcessBuilder.start and Runtime.exec both end here (JDK 17 -> 25).
                new Hook("process-start", "java.lang.ProcessImpl#start",
                        named("java.lang.ProcessImpl"),
                        named("start").and(isStatic()).and(takesArguments(5)).and(takesArgument(0, String[].class)),
                        ProcessStartAdvice.class.getName(),
                        "java.lang.ProcessImpl"));
    }
}
