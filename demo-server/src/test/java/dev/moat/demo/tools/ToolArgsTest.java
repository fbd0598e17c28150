package dev.moat.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolArgsTest {

    @Test
    void readsStrings() throws ToolException {
        assertThat(ToolArgs.string(Map.of("path", "../x"), "path")).isEqualTo("../x");
    }

    @Test
    void rejectsMissingNullAndNonStringArguments() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("path", null);
        assertThatThrownBy(() -> ToolArgs.string(Map.of(), "path"))
                .isInstanceOf(ToolException.class).hasMessage("missing required argument 'path'");
        assertThatThrownBy(() -> ToolArgs.string(withNull, "path"))
                .isInstanceOf(ToolException.class).hasMessage("missing required argument 'path'");
        assertThatThrownBy(() -> ToolArgs.string(Map.of("path", 42), "path"))
                .isInstanceOf(ToolException.class).hasMessage("argument 'path' must be a string");
    }

    @Test
    void readsDecimalsFromNumbersAndNumericStrings() throws ToolException {
        assertThat(ToolArgs.decimal(Map.of("amount", 100), "amount")).isEqualByComparingTo("100");
        assertThat(ToolArgs.decimal(Map.of("amount", 12.5d), "amount")).isEqualByComparingTo("12.5");
        assertThat(ToolArgs.decimal(Map.of("amount", new BigDecimal("0.01")), "amount")).isEqualByComparingTo("0.01");
        assertThat(ToolArgs.decimal(Map.of("amount", " 7.25 "), "amount")).isEqualByComparingTo("7.25");
    }

    @Test
    void rejectsNonNumericAmounts() {
        assertThatThrownBy(() -> ToolArgs.decimal(Map.of("amount", "lots"), "amount"))
                .isInstanceOf(ToolException.class).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> ToolArgs.decimal(Map.of("amount", true), "amount"))
                .isInstanceOf(ToolException.class).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> ToolArgs.decimal(Map.of(), "amount"))
                .isInstanceOf(ToolException.class).hasMessage("missing required argument 'amount'");
    }
}
