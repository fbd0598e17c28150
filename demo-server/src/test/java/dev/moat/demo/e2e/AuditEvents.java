package dev.moat.demo.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the events of an audit file written by the agent in a child JVM, waiting (bounded) for the writer. */
final class AuditEvents {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final long WAIT_SECONDS = 20;

    private AuditEvents() {
    }

    /** Events of {@code event.action} {@code tool-call}. */
    static boolean isToolCall(JsonNode event) {
        return "tool-call".equals(text(event, "event.action"));
    }

    /** Waits until the file holds at least {@code count} tool-call events; returns them all. */
    static List<JsonNode> awaitToolCalls(Path audit, int count) throws Exception {
        return await(audit, AuditEvents::isToolCall, count);
    }

    /** Waits until the file holds at least {@code count} events matching {@code match}; returns them all. */
    static List<JsonNode> await(Path audit, Predicate<JsonNode> match, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<JsonNode> events = read(audit, match);
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            events = read(audit, match);
        }
        if (events.size() < count) {
            throw new AssertionError("expected " + count + " matching events in " + audit + ", found " + events.size()
                    + (Files.exists(audit) ? ":\n" + Files.readString(audit) : " (no file)"));
        }
        return events;
    }

    /** The events matching {@code match} now (a line still being written is skipped). */
    static List<JsonNode> read(Path audit, Predicate<JsonNode> match) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(audit)) {
            return out;
        }
        for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
            try {
                JsonNode event = JSON.readTree(line);
                if (event.isObject() && match.test(event)) {
                    out.add(event);
                }
            } catch (JacksonException e) {
                // a line being written
            }
        }
        return out;
    }

    /** A field's text, or null when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
