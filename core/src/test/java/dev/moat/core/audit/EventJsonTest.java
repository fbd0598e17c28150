package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void writesEveryValueKindAsJsonOnOneLine() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("s", "line\nbreak \"quoted\" \u0007");
        fields.put("i", 42);
        fields.put("l", 1L << 40);
        fields.put("d", 1.5);
        fields.put("nan", Double.NaN);
        fields.put("bd", new BigDecimal("12.50"));
        fields.put("b", true);
        fields.put("n", null);
        fields.put("list", List.of(1, "two", Map.of("k", "v")));
        fields.put("array", new Object[] {"a", 2});
        fields.put("other", java.nio.file.Path.of("/tmp/x"));
        String json = EventJson.toJson(fields);
        assertThat(json).doesNotContain("\n");
        Map<?, ?> back = new ObjectMapper().readValue(json, Map.class);
        assertThat(back.get("s")).isEqualTo("line\nbreak \"quoted\" \u0007");
        assertThat(back.get("i")).isEqualTo(42);
        assertThat(back.get("l")).isEqualTo(1L << 40);
        assertThat(back.get("d")).isEqualTo(1.5);
        assertThat(back.get("nan")).isEqualTo("NaN");
        assertThat(back.get("bd")).isEqualTo(12.5);
        assertThat(back.get("b")).isEqualTo(true);
        assertThat(back.containsKey("n")).isTrue();
        assertThat(back.get("list")).isEqualTo(List.of(1, "two", Map.of("k", "v")));
        assertThat(back.get("array")).isEqualTo(List.of("a", 2));
        assertThat(back.get("other")).isEqualTo("/tmp/x");
    }
}
