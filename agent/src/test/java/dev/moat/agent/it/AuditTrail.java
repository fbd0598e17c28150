package dev.moat.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit file of the failsafe JVM's agent ({@code moat.it.audit}), read as JSON events. */
final class AuditTrail {

    private static final JsonMapper JSON = JsonMapper.shared();

    private AuditTrail() {
    }

    static Path file() {
        return Paths.get(System.getProperty("moat.it.audit", "target/it-audit.jsonl"));
    }

    /** Every event so far that matches. */
    static List<JsonNode> events(Predicate<JsonNode> filter) throws IOException {
        return events(file(), filter);
    }

    /** Every event so far in {@code audit} (another JVM's trail) that matches. */
    static List<JsonNode> events(java.nio.file.Path audit, Predicate<JsonNode> filter) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(audit)) {
            return out;
        }
        for (String line : Files.readAllLines(audit)) {
            try {
                JsonNode event = JSON.readTree(line);
                if (event.isObject() && filter.test(event)) {
                    out.add(event);
                }
            } catch (JacksonException e) {
                // a line being written
            }
        }
        return out;
    }

    /** Waits (bounded) until at least {@code count} events match, and returns them all. */
    static List<JsonNode> await(Predicate<JsonNode> filter, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<JsonNode> events = events(filter);
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            events = events(filter);
        }
        if (events.size() < count) {
            throw new AssertionError("expected " + count + " matching audit events in " + file() + ", found "
                    + events.size() + ": " + events);
        }
        return events;
    }

    /** The one tool-call event with this {@code event.id}. */
    static JsonNode toolCall(String callId) throws IOException, InterruptedException {
        List<JsonNode> events = await(e -> "tool-call".equals(text(e, "event.action"))
                && callId.equals(text(e, "event.id")), 1);
        if (events.size() != 1) {
            throw new AssertionError("expected one tool-call event with id " + callId + ": " + events);
        }
        return events.get(0);
    }

    /** The tool-call events of a tool. */
    static List<JsonNode> toolCalls(String tool, int count) throws IOException, InterruptedException {
        return await(e -> "tool-call".equals(text(e, "event.action")) && tool.equals(text(e, "mcp.tool.name")), count);
    }

    static String text(JsonNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }
}
