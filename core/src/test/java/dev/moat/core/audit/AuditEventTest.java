package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {

    @Test
    void fieldsKeepTheirInsertionOrderAndAReplacedFieldKeepsItsPlace() {
        AuditEvent event = AuditEvent.of("tool-call", "api").put("mcp.tool.name", "search").put("event.outcome", "x");
        event.put("mcp.tool.name", "read_file");
        assertThat(event.fields()).containsExactly(
                Map.entry("event.kind", "event"), Map.entry("event.category", "api"),
                Map.entry("event.action", "tool-call"), Map.entry("mcp.tool.name", "read_file"),
                Map.entry("event.outcome", "x"));
        assertThat(event.size()).isEqualTo(5);
        assertThat(event.action()).isEqualTo("tool-call");
    }

    @Test
    void aNameEqualToAnExistingOneButNotTheSameStringStillReplacesIt() {
        String built = new StringBuilder("mcp.tool").append(".name").toString();
        AuditEvent event = AuditEvent.of("tool-call", "api").put("mcp.tool.name", "a").put(built, "b");
        assertThat(event.size()).isEqualTo(4);
        assertThat(event.get("mcp.tool.name")).isEqualTo("b");
    }

    @Test
    void nullValuesAreLeftOutAndUnknownNamesReadAsNull() {
        AuditEvent event = AuditEvent.of("agent-start", "process").put("message", null);
        assertThat(event.get("message")).isNull();
        assertThat(event.get("absent")).isNull();
        assertThat(event.fields()).doesNotContainKey("message");
    }

    @Test
    void growsPastItsInitialRoomAndVisitsEveryFieldInOrder() {
        AuditEvent event = AuditEvent.of("tool-call", "api");
        for (int i = 0; i < 100; i++) {
            event.put("field." + i, i);
        }
        assertThat(event.size()).isEqualTo(103);
        assertThat(event.get("field.99")).isEqualTo(99);
        List<String> names = new ArrayList<>();
        event.forEach((name, value) -> names.add(name));
        assertThat(names).startsWith("event.kind", "event.category", "event.action", "field.0").endsWith("field.99");
    }

    @Test
    void theFieldsViewIsACopyThatCannotBeChanged() {
        AuditEvent event = AuditEvent.of("tool-call", "api");
        Map<String, Object> view = event.fields();
        event.put("later", 1);
        assertThat(view).doesNotContainKey("later");
        assertThatThrownBy(() -> view.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
