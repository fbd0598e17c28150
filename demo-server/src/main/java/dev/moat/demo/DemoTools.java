package dev.moat.demo;

import dev.moat.demo.tools.Bank;
import dev.moat.demo.tools.DeleteFileTool;
import dev.moat.demo.tools.DemoTool;
import dev.moat.demo.tools.FetchUrlTool;
import dev.moat.demo.tools.GetEnvTool;
import dev.moat.demo.tools.ListDirectoryTool;
import dev.moat.demo.tools.ReadFileTool;
import dev.moat.demo.tools.RunCommandTool;
import dev.moat.demo.tools.SearchTool;
import dev.moat.demo.tools.ToolException;
import dev.moat.demo.tools.TransferFundsTool;
import dev.moat.demo.tools.WriteFileTool;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The demo server's nine tools, and their adaptation to the SDK's {@link SyncToolSpecification}.
 *
 * <p>The adapter is the only place that knows the SDK's call shape: it hands the tool the request's
 * arguments and turns every exception into an {@code isError} result with the message, so a failing tool
 * never breaks the session.
 */
public final class DemoTools {

    private DemoTools() {
    }

    /** The tools, in the order {@code tools/list} announces them; seeds the bank. */
    public static List<DemoTool> create() throws SQLException {
        Bank bank = new Bank();
        bank.seed();
        return create(bank);
    }

    /** The tools, with {@code transfer_funds} on the given (already seeded) bank. */
    public static List<DemoTool> create(Bank bank) {
        return List.of(
                new ReadFileTool(),
                new WriteFileTool(),
                new DeleteFileTool(),
                new ListDirectoryTool(),
                new SearchTool(),
                new FetchUrlTool(),
                new RunCommandTool(),
                new TransferFundsTool(bank),
                new GetEnvTool());
    }

    /** SDK tool specifications for the given tools. */
    public static List<SyncToolSpecification> specifications(List<DemoTool> tools) {
        return tools.stream().map(DemoTools::specification).toList();
    }

    /** The SDK tool specification of one tool: its definition and an exception-safe call handler. */
    public static SyncToolSpecification specification(DemoTool tool) {
        return SyncToolSpecification.builder()
                .tool(tool.definition())
                .callHandler((exchange, request) -> call(tool, request.arguments()))
                .build();
    }

    /** Calls a tool; any exception becomes an {@code isError} result carrying its message. */
    public static CallToolResult call(DemoTool tool, Map<String, Object> arguments) {
        try {
            return tool.call(arguments == null ? Map.of() : arguments);
        } catch (ToolException e) {
            return DemoTool.error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DemoTool.error(tool.name() + " was interrupted");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // deliberately broad: a tool failure must never crash the session
            return DemoTool.error(describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
