package dev.moat.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.moat.agent.Hook;
import dev.moat.agent.HookContext;
import dev.moat.agent.toolcall.HttpCaller;
import dev.moat.bridge.MoatBridge;
import dev.moat.core.audit.AuditEvent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Constructors of the MCP SDK's HTTP server transports (servlet, Spring WebMVC/WebFlux; 0.17 → 2.x): their
 * {@code contextExtractor} is wrapped so the transport context of every request also carries the HTTP
 * caller (remote address, user agent, principal, token hash).
 */
public final class HttpCallerHook extends Hook {

    static final String ID = "mcp-http-caller";

    public HttpCallerHook() {
        super(ID, "contextExtractor of the SDK's HTTP server transports",
                nameStartsWith("io.modelcontextprotocol.server.transport.")
                        .or(nameStartsWith("org.springframework.ai.mcp.server."))
                        .and(declaresField(named("contextExtractor"))),
                isConstructor(), HttpCallerAdvice.class);
    }

    @Override
    protected Object replace(HookContext context, Object transport, Object extractor) {
        try {
            return HttpCaller.wrapExtractor(transport, extractor);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String message = "cannot record HTTP callers of " + transport.getClass().getName() + ": " + e;
            context.diagnostics().println("moat: WARNING: " + message);
            context.audit().record(AuditEvent.of("hook-degraded", "configuration").put("event.outcome", "failure")
                    .put("moat.hook", ID).put("message", message));
            return extractor;
        }
    }

    /** Exit advice of the constructor: the extractor field is replaced by the agent's wrapper. */
    public static final class HttpCallerAdvice {
        private HttpCallerAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object transport, @Advice.FieldValue(value = "contextExtractor",
                readOnly = false, typing = Assigner.Typing.DYNAMIC) Object extractor) {
            extractor = MoatBridge.replace(ID, transport, extractor);
        }
    }
}
