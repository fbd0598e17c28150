package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.agent.toolcall.ToolCallInterceptor;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.audit.AuditEvent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Every {@code tools/call} of the official MCP Java SDK (0.17 → 2.1), stateful and stateless: the
 * handler {@code toolsCallRequestHandler()} returns is wrapped so every call passes the agent.
 */
public final class ToolCallHook extends Hook {

    static final String ID = "mcp-tool-call";

    public ToolCallHook() {
        super(ID, "McpAsyncServer/McpStatelessAsyncServer#toolsCallRequestHandler",
                namedOneOf("io.modelcontextprotocol.server.McpAsyncServer",
                        "io.modelcontextprotocol.server.McpStatelessAsyncServer"),
                named("toolsCallRequestHandler").and(takesArguments(0)).and(isPrivate()),
                ToolCallAdvice.class);
    }

    @Override
    protected Object replace(HookContext context, Object self, Object handler) {
        try {
            return ToolCallInterceptor.wrap(handler, context.toolCalls(), context.redactor(), context.audit());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // The hook applied but cannot protect this server: say so, loudly, and let it run.
            String message = "cannot intercept tool calls of " + handler.getClass().getName() + ": " + e;
            context.diagnostics().println("moat: WARNING: tool calls are NOT audited or checked: " + message);
            context.audit().record(AuditEvent.of("agent-unprotected", "configuration").put("event.outcome", "failure")
                    .put("moat.hook", ID).put("message", message));
            return handler;
        }
    }

    /** Exit advice: the returned handler is replaced by the agent's decorator. */
    public static final class ToolCallAdvice {
        private ToolCallAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
            handler = MoatBridge.replace(ID, null, handler);
        }
    }
}
