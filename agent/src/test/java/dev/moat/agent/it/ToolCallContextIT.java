package dev.moat.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.bridge.MoatBridge;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real MCP server (the official SDK, stateless, in-memory transport) inside the failsafe JVM, which
 * runs the real agent jar: every tool call gets its own context, present on the thread that runs the
 * tool (a Reactor scheduler thread), in the executors, fork-join tasks, scheduled tasks and threads it
 * hands work to, and absent from those pooled threads afterwards; one audit event per call, whose id
 * is the context's, with the summary of the processes the call started.
 */
@Timeout(120)
class ToolCallContextIT {

    private static final JsonMapper JSON = JsonMapper.shared();
    /** Tool names unique to this run: the audit file outlives a run. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    /** One pooled thread, so "the same pooled thread afterwards" is certain. */
    private static final ExecutorService POOL = Executors.newSingleThreadExecutor(daemon("it-pool"));
    private static final ScheduledExecutorService SCHEDULED = Executors.newSingleThreadScheduledExecutor(
            daemon("it-scheduled"));

    @AfterEach
    void noAdviceFailed() {
        assertThat(MoatBridge.adviceFailures()).as("advice failures counted by the bridge").isZero();
    }

    @AfterAll
    static void stopPools() {
        POOL.shutdownNow();
        SCHEDULED.shutdownNow();
    }

    @Test
    void theCallIsCurrentWhereverTheToolHandsItsWorkAndGoneAfterwards() throws Exception {
        InMemory server = InMemory.sync(false, tool("probe", (ctx, req) -> text(probeEverywhere())));
        Map<String, String> seen = parse(server.callText("probe", Map.of()));

        String callId = seen.get("handler");
        assertThat(callId).as("the call is current in the handler").isNotNull();
        assertThat(seen.get("handlerThread")).as("a sync tool runs on a Reactor scheduler thread")
                .startsWith("boundedElastic");
        assertThat(seen).as("every hand-off carries the call").allSatisfy((where, id) -> {
            if (!where.equals("handlerThread")) {
                assertThat(id).as(where).isEqualTo(callId);
            }
        });

        assertThat(MoatBridge.currentToolCall()).as("the caller's thread after the call").isNull();
        assertThat(POOL.submit(MoatBridge::currentToolCall).get(10, TimeUnit.SECONDS)).as("pooled thread").isNull();
        assertThat(SCHEDULED.schedule(MoatBridge::currentToolCall, 1, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS))
                .as("scheduled pool thread").isNull();
        assertThat(ForkJoinPool.commonPool().submit(MoatBridge::currentToolCall).get(10, TimeUnit.SECONDS))
                .as("common pool").isNull();
        assertThat(Mono.fromCallable(ToolCallContextIT::currentOrNone).subscribeOn(Schedulers.boundedElastic())
                .block()).as("Reactor's boundedElastic").isEqualTo("none");

        JsonNode event = AuditTrail.toolCall(callId);
        assertThat(AuditTrail.text(event, "mcp.tool.name")).isEqualTo("probe");
        assertThat(AuditTrail.text(event, "event.outcome")).isEqualTo("success");
        assertThat(AuditTrail.text(event, "moat.call.outcome")).isEqualTo("allowed");
        assertThat(AuditTrail.text(event, "moat.decision")).isEqualTo("allow");
        assertThat(event.get("event.duration").asLong()).isPositive();
        assertThat(event.get("mcp.result.chars").asLong()).isPositive();
    }

    @Test
    void aPoolWorkerStartedDuringACallDoesNotInheritTheCall() throws Exception {
        ExecutorService fresh = Executors.newSingleThreadExecutor(daemon("it-fresh-pool"));
        try {
            CountDownLatch workerStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InMemory server = InMemory.sync(false, tool("start_pool", (ctx, req) -> {
                String inTask = get(fresh.submit(MoatBridge::currentToolCall)); // starts the pool's worker
                workerStarted.countDown();
                await(release);
                return text(MoatBridge.currentToolCall() + " " + inTask);
            }));
            CompletableFuture<String> call = server.callTextMono("start_pool", Map.of()).toFuture();
            assertThat(workerStarted.await(30, TimeUnit.SECONDS)).isTrue();
            // the call is still in progress: work handed to the worker from outside the call runs outside it
            String outside = fresh.submit(MoatBridge::currentToolCall).get(10, TimeUnit.SECONDS);
            release.countDown();
            String[] ids = call.get(30, TimeUnit.SECONDS).split(" ");
            assertThat(ids[0]).isNotEqualTo("null").isEqualTo(ids[1]);
            assertThat(outside).as("the worker started during the call is the pool's, not the call's").isNull();
        } finally {
            fresh.shutdownNow();
        }
    }

    @Test
    void withImmediateExecutionTheToolRunsInTheCallOnTheSubscribingThread() throws Exception {
        InMemory server = InMemory.sync(true, tool("probe_now",
                (ctx, req) -> text(MoatBridge.currentToolCall() + " " + Thread.currentThread().getName())));
        String[] result = server.callText("probe_now", Map.of()).split(" ");
        assertThat(result[0]).isNotEqualTo("null");
        assertThat(result[1]).isEqualTo(Thread.currentThread().getName());
        assertThat(MoatBridge.currentToolCall()).as("restored on the subscribing thread").isNull();
        assertThat(AuditTrail.text(AuditTrail.toolCall(result[0]), "event.outcome")).isEqualTo("success");
    }

    @Test
    void concurrentCallsKeepTheirOwnContextAndTheirOwnProcesses() throws Exception {
        CyclicBarrier bothInside = new CyclicBarrier(2);
        InMemory server = InMemory.sync(false, tool("spawn", (ctx, req) -> {
            String marker = String.valueOf(req.arguments().get("marker"));
            String inHandler = MoatBridge.currentToolCall();
            await(bothInside);
            run("sh", "-c", "exit 0", marker + "-handler");
            String inPool = get(POOL.submit(() -> {
                run("sh", "-c", "exit 0", marker + "-pool");
                return MoatBridge.currentToolCall();
            }));
            return text(inHandler + " " + inPool);
        }));
        String a = "moat-a-" + RUN;
        String b = "moat-b-" + RUN;
        List<String> results = Mono.zip(server.callTextMono("spawn", Map.of("marker", a)),
                server.callTextMono("spawn", Map.of("marker", b)), List::of).block();

        String[] first = results.get(0).split(" ");
        String[] second = results.get(1).split(" ");
        assertThat(first[0]).isNotEqualTo("null").isEqualTo(first[1]);
        assertThat(second[0]).isNotEqualTo("null").isEqualTo(second[1]);
        assertThat(first[0]).isNotEqualTo(second[0]);

        assertThat(touchedTargets(AuditTrail.toolCall(first[0])))
                .hasSize(2).allMatch(t -> t.contains(a + "-")).noneMatch(t -> t.contains(b));
        assertThat(touchedTargets(AuditTrail.toolCall(second[0])))
                .hasSize(2).allMatch(t -> t.contains(b + "-")).noneMatch(t -> t.contains(a));
        List<JsonNode> starts = AuditTrail.await(e -> "process-start".equals(AuditTrail.text(e, "event.action"))
                && String.valueOf(AuditTrail.text(e, "process.command_line")).contains(a + "-pool"), 1);
        assertThat(AuditTrail.text(starts.get(0), "moat.call.id")).isEqualTo(first[0]);
        assertThat(AuditTrail.text(starts.get(0), "mcp.tool.name")).isEqualTo("spawn");
    }

    @Test
    void aCancelledCallIsOneEventWithOutcomeUnknown() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> callId = new AtomicReference<>();
        InMemory server = InMemory.async(new AsyncToolSpecification(schemaless("hang"), (ctx, req) -> {
            callId.set(MoatBridge.currentToolCall());
            started.countDown();
            return Mono.never();
        }));
        Disposable call = server.callMono("hang", Map.of()).subscribe();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        call.dispose();

        JsonNode event = AuditTrail.toolCall(callId.get());
        assertThat(AuditTrail.text(event, "event.outcome")).isEqualTo("unknown");
        assertThat(event.get("moat.call.cancelled").asBoolean()).isTrue();
        assertThat(AuditTrail.text(event, "moat.call.outcome")).isEqualTo("cancelled");
    }

    @Test
    void unknownToolsFailingToolsAndSchemaRejectionsAreOneFailureEventEach() throws Exception {
        AtomicInteger typedRuns = new AtomicInteger();
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("n", Map.of("type", "integer")), "required", List.of("n"));
        String boom = "boom_" + RUN;
        String typed = "typed_" + RUN;
        String unknownTool = "no_such_tool_" + RUN;
        InMemory server = InMemory.sync(false,
                tool(boom, (ctx, req) -> {
                    throw new IllegalStateException("boom from the tool");
                }),
                SyncToolSpecification.builder().tool(Tool.builder(typed, schema).build())
                        .callHandler((ctx, req) -> {
                            typedRuns.incrementAndGet();
                            return text("ran");
                        }).build());

        JSONRPCResponse unknown = server.callMono(unknownTool, Map.of()).block();
        assertThat(unknown.error()).isNotNull();
        server.callMono(boom, Map.of()).block();
        server.callMono(typed, Map.of("n", "not a number")).block();

        JsonNode unknownEvent = single(unknownTool);
        assertThat(AuditTrail.text(unknownEvent, "event.outcome")).isEqualTo("failure");
        assertThat(AuditTrail.text(unknownEvent, "moat.call.outcome")).isEqualTo("error");
        assertThat(AuditTrail.text(unknownEvent, "error.message")).contains("Unknown tool");

        JsonNode boomEvent = single(boom);
        assertThat(AuditTrail.text(boomEvent, "event.outcome")).isEqualTo("failure");
        assertThat(boomEvent.toString()).contains("boom from the tool");

        JsonNode typedEvent = single(typed);
        assertThat(AuditTrail.text(typedEvent, "event.outcome")).isEqualTo("failure");
        assertThat(AuditTrail.text(typedEvent, "error.message")).isNotBlank();
        assertThat(typedRuns).as("the SDK's schema check rejected the call before the tool ran").hasValue(0);
    }

    // --- the tool's side -------------------------------------------------------------------------------

    /** Where the call is current, seen from the tool: every way it hands work to another thread. */
    private static Map<String, String> probeEverywhere() {
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("handler", MoatBridge.currentToolCall());
        seen.put("handlerThread", Thread.currentThread().getName());
        seen.put("executor.submit", get(POOL.submit(MoatBridge::currentToolCall)));
        AtomicReference<String> viaExecute = new AtomicReference<>();
        CountDownLatch executed = new CountDownLatch(1);
        POOL.execute(() -> {
            viaExecute.set(MoatBridge.currentToolCall());
            executed.countDown();
        });
        await(executed);
        seen.put("executor.execute", viaExecute.get());
        seen.put("scheduled.schedule", get(SCHEDULED.schedule(MoatBridge::currentToolCall, 1, TimeUnit.MILLISECONDS)));
        AtomicReference<String> viaSchedule = new AtomicReference<>();
        get(SCHEDULED.schedule(() -> viaSchedule.set(MoatBridge.currentToolCall()), 1, TimeUnit.MILLISECONDS));
        seen.put("scheduled.scheduleRunnable", viaSchedule.get());
        seen.put("forkJoin.submitCallable", get(ForkJoinPool.commonPool().submit(
                (Callable<String>) MoatBridge::currentToolCall)));
        AtomicReference<String> viaForkJoin = new AtomicReference<>();
        get(ForkJoinPool.commonPool().submit(() -> viaForkJoin.set(MoatBridge.currentToolCall())));
        seen.put("forkJoin.submitRunnable", viaForkJoin.get());
        seen.put("completableFuture.supplyAsync", get(CompletableFuture.supplyAsync(MoatBridge::currentToolCall)));
        seen.put("completableFuture.ownExecutor", get(CompletableFuture.supplyAsync(MoatBridge::currentToolCall,
                POOL)));
        AtomicReference<String> inThread = new AtomicReference<>();
        Thread thread = new Thread(() -> inThread.set(MoatBridge.currentToolCall()), "it-started-in-a-call");
        thread.start();
        join(thread);
        seen.put("thread.start", inThread.get());
        seen.put("reactor.parallel", Mono.fromCallable(ToolCallContextIT::currentOrNone)
                .subscribeOn(Schedulers.parallel()).block());
        seen.put("reactor.delay", Mono.delay(java.time.Duration.ofMillis(1))
                .map(x -> currentOrNone()).block());
        return seen;
    }

    private static String currentOrNone() {
        String id = MoatBridge.currentToolCall();
        return id == null ? "none" : id;
    }

    /** The targets of the process starts in the call's summary (file and network touches are left out). */
    private static List<String> touchedTargets(JsonNode event) {
        List<String> targets = new ArrayList<>();
        JsonNode touched = event.get("moat.touched");
        assertThat(touched).as("moat.touched of " + event).isNotNull();
        for (JsonNode touch : touched) {
            if (!"process".equals(touch.get("kind").asString())) {
                continue;
            }
            assertThat(touch.get("operation").asString()).isEqualTo("start");
            assertThat(touch.get("decision").asString()).isNotBlank();
            targets.add(touch.get("target").asString());
        }
        return targets;
    }

    private static JsonNode single(String tool) throws Exception {
        List<JsonNode> events = AuditTrail.toolCalls(tool, 1);
        Thread.sleep(200);
        events = AuditTrail.events(e -> "tool-call".equals(AuditTrail.text(e, "event.action"))
                && tool.equals(AuditTrail.text(e, "mcp.tool.name")));
        assertThat(events).as("one event for " + tool).hasSize(1);
        return events.get(0);
    }

    // --- plumbing --------------------------------------------------------------------------------------

    private static SyncToolSpecification tool(String name,
            java.util.function.BiFunction<McpTransportContext, io.modelcontextprotocol.spec.McpSchema.CallToolRequest,
                    CallToolResult> handler) {
        return SyncToolSpecification.builder().tool(schemaless(name)).callHandler(handler).build();
    }

    private static Tool schemaless(String name) {
        return Tool.builder(name, Map.of("type", "object")).build();
    }

    private static CallToolResult text(Object value) {
        String text = value instanceof String s ? s : JSON.writeValueAsString(value);
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    private static Map<String, String> parse(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        JSON.readTree(json).properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().asString()));
        return out;
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
