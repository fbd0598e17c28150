package dev.moat.agent.hooks;

import dev.moat.bridge.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Wraps the handler that {@code toolsCallRequestHandler()} returns, so every tool call passes the agent. */
public final class ToolCallHandlerAdvice {

    private ToolCallHandlerAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
        handler = MoatBridge.wrapToolCallHandler(handler);
    }
}
