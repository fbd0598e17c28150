package dev.moat.demo.tools;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code transfer_funds(from_account, to_account, amount)}: moves money between two accounts of the demo
 * {@link Bank} and returns both new balances.
 *
 * <p><b>Deliberately unsafe</b> (mistake: hardcoded secrets): the bank is reached with a JDBC URL whose
 * administrator password is a literal in the code ({@link Bank#JDBC_URL}). The transfer itself is
 * correct — one transaction, balance checks — and, like every demo tool, it trusts the caller completely.
 */
public final class TransferFundsTool implements DemoTool {

    private final Bank bank;

    /** A tool on the given bank; call {@link Bank#seed()} first. */
    public TransferFundsTool(Bank bank) {
        this.bank = bank;
    }

    @Override
    public Tool definition() {
        return Tool.builder("transfer_funds", InputSchema.object()
                        .string("from_account", "Account to debit")
                        .string("to_account", "Account to credit")
                        .number("amount", "Amount to move, positive, at most two decimals")
                        .build())
                .description("Transfers money between two bank accounts (seeded: alice, bob, mallory) and returns "
                        + "the new balances. DELIBERATELY UNSAFE demo tool: connects to its database with a "
                        + "password hardcoded in the server's code.")
                .build();
    }

    @Override
    public CallToolResult call(Map<String, Object> arguments) throws ToolException, SQLException {
        String from = ToolArgs.string(arguments, "from_account");
        String to = ToolArgs.string(arguments, "to_account");
        BigDecimal amount = ToolArgs.decimal(arguments, "amount");
        return DemoTool.text(bank.transfer(from, to, amount).describe());
    }
}
