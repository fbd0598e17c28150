package dev.moat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.demo.tools.Bank;
import dev.moat.demo.tools.DemoTool;
import dev.moat.demo.tools.ToolException;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoToolsTest {

    private final List<DemoTool> tools = DemoTools.create(privateBank());

    @Test
    void nineToolsWithTheContractedNamesAndArguments() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("read_file", List.of("path"));
        expected.put("write_file", List.of("path", "content"));
        expected.put("delete_file", List.of("path"));
        expected.put("list_directory", List.of("path"));
        expected.put("search", List.of("query"));
        expected.put("fetch_url", List.of("url"));
        expected.put("run_command", List.of("command"));
        expected.put("transfer_funds", List.of("from_account", "to_account", "amount"));
        expected.put("get_env", List.of("name"));

        Map<String, List<String>> actual = tools.stream().map(DemoTool::definition).collect(Collectors.toMap(
                Tool::name, DemoToolsTest::requiredArguments, (a, b) -> a, LinkedHashMap::new));
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    @Test
    void everySchemaIsAnObjectWithTypedPropertiesAndEveryDescriptionOwnsUpToTheMistake() {
        for (DemoTool tool : tools) {
            Tool definition = tool.definition();
            assertThat(definition.inputSchema()).containsEntry("type", "object");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> properties =
                    (Map<String, Map<String, Object>>) definition.inputSchema().get("properties");
            assertThat(properties.keySet()).containsExactlyElementsOf(requiredArguments(definition));
            properties.values().forEach(p -> assertThat(p).containsKeys("type", "description"));
            assertThat(definition.description()).as(definition.name()).contains("DELIBERATELY UNSAFE");
        }
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> transfer = (Map<String, Map<String, Object>>)
                byName().get("transfer_funds").definition().inputSchema().get("properties");
        assertThat(transfer.get("amount")).containsEntry("type", "number");
        assertThat(transfer.get("from_account")).containsEntry("type", "string");
    }

    @Test
    void exceptionsBecomeErrorResultsWithTheMessage() {
        assertError(DemoTools.call(failing(() -> new ToolException("unknown account: eve")), Map.of()),
                "unknown account: eve");
        assertError(DemoTools.call(failing(() -> new IllegalStateException("boom")), Map.of()),
                "IllegalStateException: boom");
        assertError(DemoTools.call(failing(() -> new SecurityException("denied by policy")), Map.of()),
                "SecurityException: denied by policy");
        assertError(DemoTools.call(failing(NullPointerException::new), Map.of()), "NullPointerException");
        assertError(DemoTools.call(failing(() -> new ExceptionInInitializerError("init")), Map.of()),
                "ExceptionInInitializerError: init");
    }

    @Test
    void theSpecificationHandlerPassesTheArgumentsAndSurvivesMissingOnes() {
        SyncToolSpecification search = DemoTools.specification(byName().get("search"));
        CallToolResult ok = search.callHandler().apply(null, CallToolRequest.builder("search").arguments(Map.of("query", "q")).build());
        assertThat(ok.isError()).isFalse();
        assertThat(text(ok)).contains("<b>q</b>");

        CallToolResult missing = search.callHandler().apply(null, CallToolRequest.builder("search").build());
        assertError(missing, "missing required argument 'query'");
    }

    private Map<String, DemoTool> byName() {
        return tools.stream().collect(Collectors.toMap(DemoTool::name, Function.identity()));
    }

    @SuppressWarnings("unchecked")
    private static List<String> requiredArguments(Tool tool) {
        return (List<String>) tool.inputSchema().get("required");
    }

    private static DemoTool failing(java.util.function.Supplier<Throwable> failure) {
        return new DemoTool() {
            @Override
            public Tool definition() {
                return Tool.builder("failing", Map.of("type", "object")).build();
            }

            @Override
            public CallToolResult call(Map<String, Object> arguments) throws Exception {
                Throwable t = failure.get();
                if (t instanceof Exception e) {
                    throw e;
                }
                throw (Error) t;
            }
        };
    }

    private static void assertError(CallToolResult result, String message) {
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo(message);
    }

    private static String text(CallToolResult result) {
        return result.content().stream().map(c -> ((TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    private static Bank privateBank() {
        Bank bank = new Bank("jdbc:h2:mem:tools-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try {
            bank.seed();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return bank;
    }
}
