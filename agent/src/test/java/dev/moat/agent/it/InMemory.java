package dev.moat.agent.it;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stateless MCP server (the official SDK) on an in-memory transport: the test calls the SDK's request
 * handler directly, so every {@code tools/call} goes through the SDK's dispatch (and the agent's
 * tool-call hook) without a socket or a pipe.
 */
final class InMemory implements McpStatelessServerTransport {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final AtomicInteger IDS = new AtomicInteger();

    private volatile McpStatelessServerHandler handler;

    static InMemory sync(boolean immediate, SyncToolSpecification... tools) {
        InMemory transport = new InMemory();
        McpServer.sync(transport).jsonMapper(new JacksonMcpJsonMapper(JSON)).immediateExecution(immediate)
                .tools(tools).build();
        return transport;
    }

    static InMemory async(AsyncToolSpecification... tools) {
        InMemory transport = new InMemory();
        McpServer.async(transport).jsonMapper(new JacksonMcpJsonMapper(JSON)).tools(tools).build();
        return transport;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    Mono<JSONRPCResponse> callMono(String tool, Map<String, Object> arguments) {
        return handler.handleRequest(McpTransportContext.EMPTY, new JSONRPCRequest("2.0", "tools/call",
                IDS.incrementAndGet(), Map.of("name", tool, "arguments", arguments)));
    }

    Mono<String> callTextMono(String tool, Map<String, Object> arguments) {
        return callMono(tool, arguments).map(response -> {
            if (response.error() != null) {
                throw new AssertionError("tools/call " + tool + " failed: " + response.error());
            }
            Map<?, ?> result = (Map<?, ?>) JSON.convertValue(response.result(), Map.class);
            List<?> content = (List<?>) result.get("content");
            return String.valueOf(((Map<?, ?>) content.get(0)).get("text"));
        });
    }

    String callText(String tool, Map<String, Object> arguments) {
        return callTextMono(tool, arguments).block();
    }
}
