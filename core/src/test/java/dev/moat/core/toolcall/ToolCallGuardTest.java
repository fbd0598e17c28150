package dev.moat.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.decision.Decision;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolCallGuardTest {

    @Test
    void deniesListedToolsAndNamesTheRule() {
        ToolCallGuard guard = new ToolCallGuard(true, Set.of("delete_file"), Set.of());
        Decision d = guard.decide("delete_file");
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).isEqualTo("tools.delete_file.deny");
        assertThat(d.label()).isEqualTo("deny");
        assertThat(guard.decide("read_file").blocks()).isFalse();
        assertThat(guard.decide(null).action()).isEqualTo(Decision.Action.ALLOW);
    }

    @Test
    void monitorModeRecordsButDoesNotBlock() {
        Decision d = new ToolCallGuard(false, Set.of("delete_file"), Set.of()).decide("delete_file");
        assertThat(d.action()).isEqualTo(Decision.Action.DENY);
        assertThat(d.blocks()).isFalse();
        assertThat(d.label()).isEqualTo("would-deny");
    }

    @Test
    void argumentsOfListedToolsAreNotRecorded() {
        ToolCallGuard guard = new ToolCallGuard(true, Set.of(), Set.of("get_env"));
        assertThat(guard.recordArguments("get_env")).isFalse();
        assertThat(guard.recordArguments("search")).isTrue();
    }
}
