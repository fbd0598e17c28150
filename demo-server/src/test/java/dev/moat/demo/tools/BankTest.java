package dev.moat.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BankTest {

    private Bank bank;

    @BeforeEach
    void openPrivateBank() throws Exception {
        bank = new Bank("jdbc:h2:mem:bank-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        bank.seed();
    }

    @Test
    void theHardcodedUrlCarriesAPassword() {
        // mistake #3, on purpose: the credential is a literal in the code
        assertThat(Bank.JDBC_URL).startsWith("jdbc:h2:mem:bank;").contains(";USER=bank_admin;PASSWORD=");
    }

    @Test
    void theHardcodedUrlReallyOpensTheBank() throws Exception {
        Bank real = new Bank();
        real.seed();
        assertThat(real.balance("alice")).isEqualByComparingTo("1000.00");
    }

    @Test
    void seedsAccounts() throws Exception {
        assertThat(bank.balance("alice")).isEqualByComparingTo("1000.00");
        assertThat(bank.balance("bob")).isEqualByComparingTo("500.00");
        assertThat(bank.balance("mallory")).isEqualByComparingTo("0.00");
    }

    @Test
    void transfersMoveMoneyAndReportNewBalances() throws Exception {
        Bank.Transfer transfer = bank.transfer("alice", "mallory", new BigDecimal("100"));

        assertThat(transfer.amount()).isEqualTo(new BigDecimal("100.00"));
        assertThat(transfer.fromBalance()).isEqualTo(new BigDecimal("900.00"));
        assertThat(transfer.toBalance()).isEqualTo(new BigDecimal("100.00"));
        assertThat(transfer.describe())
                .isEqualTo("Transferred 100.00 from alice to mallory. New balances: alice=900.00, mallory=100.00");
        assertThat(bank.balance("alice")).isEqualByComparingTo("900");
        assertThat(bank.balance("mallory")).isEqualByComparingTo("100");
    }

    @Test
    void insufficientFundsChangeNothing() throws Exception {
        assertThatThrownBy(() -> bank.transfer("bob", "alice", new BigDecimal("500.01")))
                .isInstanceOf(ToolException.class)
                .hasMessage("insufficient funds: bob has 500.00, needs 500.01");
        assertThat(bank.balance("bob")).isEqualByComparingTo("500");
        assertThat(bank.balance("alice")).isEqualByComparingTo("1000");
    }

    @Test
    void theWholeBalanceCanMove() throws Exception {
        bank.transfer("bob", "alice", new BigDecimal("500.00"));
        assertThat(bank.balance("bob")).isEqualByComparingTo("0");
    }

    @Test
    void rejectsUnknownAccountsAndBadAmounts() throws Exception {
        assertThatThrownBy(() -> bank.transfer("alice", "eve", BigDecimal.ONE))
                .isInstanceOf(ToolException.class).hasMessage("unknown account: eve");
        assertThatThrownBy(() -> bank.transfer("eve", "alice", BigDecimal.ONE))
                .isInstanceOf(ToolException.class).hasMessage("unknown account: eve");
        assertThatThrownBy(() -> bank.transfer("alice", "bob", BigDecimal.ZERO))
                .isInstanceOf(ToolException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> bank.transfer("alice", "bob", new BigDecimal("-5")))
                .isInstanceOf(ToolException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> bank.transfer("alice", "bob", new BigDecimal("0.001")))
                .isInstanceOf(ToolException.class).hasMessageContaining("at most 2 decimals");
        assertThatThrownBy(() -> bank.transfer("alice", "alice", BigDecimal.ONE))
                .isInstanceOf(ToolException.class).hasMessageContaining("must differ");
        assertThat(bank.balance("alice")).isEqualByComparingTo("1000");
    }

    @Test
    void theToolReadsItsArguments() throws Exception {
        TransferFundsTool tool = new TransferFundsTool(bank);
        String text = DemoToolText.of(tool.call(Map.of("from_account", "alice", "to_account", "bob", "amount", 12.5)));
        assertThat(text).isEqualTo("Transferred 12.50 from alice to bob. New balances: alice=987.50, bob=512.50");
    }
}
