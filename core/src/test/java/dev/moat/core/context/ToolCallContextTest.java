package dev.moat.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.decision.Decision;
import org.junit.jupiter.api.Test;

class ToolCallContextTest {

    @Test
    void attachIsScopedAndRestoresThePreviousContext() {
        ToolCallContext outer = new ToolCallContext("a", "1", "s");
        ToolCallContext inner = new ToolCallContext("b", "2", "s");
        assertThat(ToolCallContext.current()).isNull();
        try (ToolCallContext.Scope o = outer.attach()) {
            assertThat(ToolCallContext.current()).isSameAs(outer);
            try (ToolCallContext.Scope i = inner.attach()) {
                assertThat(ToolCallContext.current()).isSameAs(inner);
            }
            assertThat(ToolCallContext.current()).isSameAs(outer);
        }
        assertThat(ToolCallContext.current()).isNull();
    }

    @Test
    void theSummaryIsBoundedAndCountsWhatItDropped() {
        ToolCallContext ctx = new ToolCallContext("a", "1", null);
        Decision allow = Decision.allow("default", "ok");
        for (int i = 0; i < ToolCallContext.MAX_TOUCHES + 5; i++) {
            ctx.touched(new Touch("file", "read", "/tmp/" + i, allow));
        }
        assertThat(ctx.touches()).hasSize(ToolCallContext.MAX_TOUCHES);
        assertThat(ctx.droppedTouches()).isEqualTo(5);
        assertThat(ctx.touches().get(0).target()).isEqualTo("/tmp/0");
    }
}
