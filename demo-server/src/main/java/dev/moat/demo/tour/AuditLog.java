package dev.moat.demo.tour;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the agent's audit log: JSON lines with ECS-style dotted keys ({@code "event.action"},
 * {@code "mcp.tool.name"}...). Nested objects are flattened to the same dotted keys, so both shapes read
 * the same. Lines that are not JSON objects (a line being written, a stray message) are skipped.
 */
public final class AuditLog {

    /** Keys shown in a summary besides {@code event.outcome}: decisions, rules, reasons, rewrites. */
    private static final List<String> SUMMARY_KEY_PARTS =
            List.of("rule.", "reason", "decision", "sanitiz", "rewrit", "redact", "denied", "blocked");

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Path file;

    /** A reader of the given file (which may not exist yet). */
    public AuditLog(Path file) {
        this.file = file;
    }

    /** The audit file. */
    public Path file() {
        return file;
    }

    /** All events in the file so far, flattened, in file order; empty if the file does not exist. */
    public List<Map<String, String>> events() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        List<Map<String, String>> events = new ArrayList<>();
        for (String line : lines) {
            parse(line).ifPresent(events::add);
        }
        return events;
    }

    /** The {@code n}-th (0-based) {@code tool-call} event of {@code tool}, if written. */
    public Optional<Map<String, String>> toolCall(String tool, int n) {
        return events().stream()
                .filter(e -> "tool-call".equals(e.get("event.action")) && tool.equals(e.get("mcp.tool.name")))
                .skip(n)
                .findFirst();
    }

    /** Polls for {@link #toolCall} until it appears or {@code timeout} passes. */
    public Optional<Map<String, String>> awaitToolCall(String tool, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Map<String, String>> event = toolCall(tool, n);
            if (event.isPresent() || System.nanoTime() >= deadline) {
                return event;
            }
            Thread.sleep(50);
        }
    }

    /** One JSON line, flattened; empty when the line is not a JSON object. */
    static Optional<Map<String, String>> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(line);
            if (!node.isObject()) {
                return Optional.empty();
            }
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", node, flat);
            return Optional.of(flat);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * A compact one-line summary of an event: {@code outcome=...} then the decision, rule and reason fields
     * it carries, e.g. {@code outcome=denied rule.id=files.allow event.reason="outside allowed roots"}.
     */
    public static String summarize(Map<String, String> event) {
        StringBuilder summary = new StringBuilder("outcome=").append(event.getOrDefault("event.outcome", "?"));
        event.forEach((key, value) -> {
            if (!key.equals("event.outcome") && SUMMARY_KEY_PARTS.stream().anyMatch(key::contains)) {
                summary.append(' ').append(key).append('=').append(quoteIfNeeded(value));
            }
        });
        return summary.toString();
    }

    private static String quoteIfNeeded(String value) {
        return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) ? '"' + value + '"' : value;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                flatten(key, field.getValue(), out);
            }
        } else if (node.isValueNode() && !node.isNull()) {
            out.put(prefix, node.asString());
        } else if (!node.isNull()) {
            out.put(prefix, node.toString());
        }
    }
}
