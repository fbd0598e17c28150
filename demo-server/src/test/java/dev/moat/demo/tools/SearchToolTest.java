package dev.moat.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchToolTest {

    @Test
    void echoesTheQueryUnescapedInHtml() throws Exception {
        String payload = "<script>alert(document.cookie)</script>";
        CallToolResult result = new SearchTool().call(Map.of("query", payload));

        String html = ((TextContent) result.content().get(0)).text();
        assertThat(result.isError()).isFalse();
        assertThat(html).startsWith("<p>Results for <b>" + payload + "</b></p>");
        assertThat(html).contains("<ul>").contains("</ul>").doesNotContain("&lt;");
    }

    @Test
    void plainQueriesComeBackVerbatim() {
        assertThat(SearchTool.render("moat agent")).contains("<b>moat agent</b>");
    }
}
