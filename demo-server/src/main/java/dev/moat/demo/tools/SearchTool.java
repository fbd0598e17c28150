package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Map;

/**
 * {@code search(query)}: pretends to search the documentation and returns an HTML fragment.
 *
 * <p><b>Deliberately unsafe</b> (mistake: trusting tool output): the query is echoed into the HTML
 * <em>unescaped</em>, so {@code <script>...</script>} sent as a query comes back as live markup. A client
 * that renders tool output as HTML (a chat UI, a web dashboard) runs the attacker's script; an LLM reading
 * it gets attacker-controlled instructions.
 */
public final class SearchTool implements DemoTool {

    @Override
    public Tool definition() {
        return Tool.builder("search", InputSchema.object().string("query", "Search terms").build())
                .description("Searches the documentation and returns the results as an HTML fragment. "
                        + "DELIBERATELY UNSAFE demo tool: the query is echoed into the HTML without escaping "
                        + "(reflected script injection).")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws Exception {
        return DemoTool.text(render(ToolArgs.string(arguments, "query")));
    }

    /** Renders the results fragment, echoing {@code query} verbatim (the bug, on purpose). */
    static String render(String query) {
        return "<p>Results for <b>" + query + "</b></p>\n"
                + "<ul>\n"
                + "  <li><a href=\"https://docs.example.com/getting-started\">Getting started</a>: " + query
                + " appears in the quick start</li>\n"
                + "  <li><a href=\"https://docs.example.com/faq\">FAQ</a>: questions about " + query + "</li>\n"
                + "</ul>";
    }
}
