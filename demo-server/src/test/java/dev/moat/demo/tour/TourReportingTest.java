package dev.moat.demo.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verdicts, evidence, banner detection, the table and the command line of the tour. */
class TourReportingTest {

    private static final String PAYLOAD = "<script>alert(document.cookie)</script>";

    @Test
    void verdicts() {
        assertThat(Verdict.of(null, PAYLOAD)).isEqualTo(Verdict.BLOCKED);
        assertThat(Verdict.of(result("denied by moat: read outside allowed roots", true), "TOUR-SECRET"))
                .isEqualTo(Verdict.BLOCKED);
        assertThat(Verdict.of(result("<b>" + PAYLOAD + "</b>", false), PAYLOAD)).isEqualTo(Verdict.ALLOWED);
        assertThat(Verdict.of(result("<b>&lt;script&gt;alert(document.cookie)&lt;/script&gt;</b>", false), PAYLOAD))
                .isEqualTo(Verdict.REWRITTEN);
        assertThat(Verdict.of(result("TOUR-SECRET: [REDACTED]", false), "hunter2")).isEqualTo(Verdict.REWRITTEN);
    }

    @Test
    void evidenceIsTheLeakingLineOrTheFirstLine() {
        String fetched = "HTTP 200\n\ninternal admin console\nADMIN_API_TOKEN=abc\n";
        assertThat(AttackTour.evidence(fetched, "ADMIN_API_TOKEN", Verdict.ALLOWED)).isEqualTo("ADMIN_API_TOKEN=abc");
        assertThat(AttackTour.evidence("\n&lt;script&gt;\nmore", PAYLOAD, Verdict.REWRITTEN)).isEqualTo("&lt;script&gt;");
        assertThat(AttackTour.evidence("", PAYLOAD, Verdict.BLOCKED)).isEqualTo("(empty)");
        assertThat(AttackTour.evidence("Transferred 100.00 from alice to mallory. New balances: alice=900.00, "
                + "mallory=100.00", "mallory=", Verdict.ALLOWED)).isEqualTo("…alice=900.00, mallory=100.00");
    }

    @Test
    void theFiveAttacksUseTheToolContract() {
        List<Attack> attacks = AttackTour.attacks("http://127.0.0.1:1234/admin");
        assertThat(attacks).extracting(Attack::tool)
                .containsExactly("read_file", "fetch_url", "run_command", "search", "transfer_funds");
        assertThat(attacks.get(0).arguments()).containsEntry("path", "../secret.txt");
        assertThat(attacks.get(1).arguments()).containsEntry("url", "http://127.0.0.1:1234/admin");
        assertThat(attacks.get(2).arguments()).containsEntry("command", "id; cat /etc/hostname");
        assertThat(attacks.get(3).arguments()).containsEntry("query", PAYLOAD);
        assertThat(attacks.get(4).arguments()).containsExactly(
                Map.entry("from_account", "alice"), Map.entry("to_account", "mallory"), Map.entry("amount", 100));
        assertThat(attacks.get(4).call()).isEqualTo("transfer_funds alice mallory 100");
    }

    @Test
    void bannerLines() {
        assertThat(AttackTour.isBannerLine("moat 0.1.0: protecting pid 42, policy examples/moat.yaml")).isTrue();
        assertThat(AttackTour.isBannerLine("Moat: 14 hooks applied")).isTrue();
        assertThat(AttackTour.isBannerLine("[moat] mode=enforce")).isTrue();
        assertThat(AttackTour.isBannerLine("moat-demo-server listening on http://127.0.0.1:1/mcp")).isFalse();
        assertThat(AttackTour.isBannerLine("09:00:00.000 [main] WARN something")).isFalse();
    }

    @Test
    void tableAlignsCleansAndTruncates() {
        String table = new TextTable(List.of("A", "BEE"), 5, 20)
                .row("x", "\u001b[31mred\u001b[0m\nnext\u202eline")
                .row("long cell", "ok")
                .render();
        assertThat(table).isEqualTo("""
                A      BEE
                -----  --------------------
                x      [31mred [0m next li…
                long…  ok
                """);
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u202e");
    }

    @Test
    void commandLine() {
        AttackTour.Options defaults = AttackTour.Options.parse();
        assertThat(defaults.agent()).isEqualTo(Path.of("agent/target/moat-agent.jar"));
        assertThat(defaults.policy()).isEqualTo(Path.of("examples/moat.yaml"));
        assertThat(defaults.noAgent()).isFalse();

        AttackTour.Options given = AttackTour.Options.parse("--agent", "a.jar", "--policy", "p.yaml", "--no-agent");
        assertThat(given).isEqualTo(new AttackTour.Options(Path.of("a.jar"), Path.of("p.yaml"), true, null, false));

        assertThatThrownBy(() -> AttackTour.Options.parse("--policy")).hasMessage("--policy needs a value");
        assertThatThrownBy(() -> AttackTour.Options.parse("--x")).hasMessage("unknown argument '--x'");
    }

    private static CallToolResult result(String text, boolean isError) {
        return CallToolResult.builder().addTextContent(text).isError(isError).build();
    }
}
