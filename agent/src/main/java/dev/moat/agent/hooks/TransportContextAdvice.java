package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Constructors of the MCP SDK's HTTP server transports (servlet, Spring WebMVC/WebFlux): wraps their
 * {@code contextExtractor} so the transport context of every request also carries the HTTP caller.
 */
public final class TransportContextAdvice {

    private TransportContextAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object transport, @Advice.FieldValue(value = "contextExtractor", readOnly = false,
            typing = Assigner.Typing.DYNAMIC) Object extractor) {
        extractor = MoatBridge.wrapContextExtractor(transport, extractor);
    }
}
