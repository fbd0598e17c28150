package dev.moat.demo.tools;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny bank in an embedded, in-memory H2 database, reached through plain JDBC.
 *
 * <p><b>Deliberately unsafe</b> (mistake: hardcoded secrets): the JDBC connection string, administrator
 * password included, is a string literal compiled into this class ({@link #JDBC_URL}). Anyone with the jar
 * has the password; it cannot be rotated without a rebuild; it ends up in logs, heap dumps and source
 * control. Every call opens a connection with it.
 */
public final class Bank {

    /**
     * The hardcoded connection string — the mistake on purpose. A real server would read the password from
     * a secret store or the environment.
     */
    public static final String JDBC_URL =
            "jdbc:h2:mem:bank;DB_CLOSE_DELAY=-1;USER=bank_admin;PASSWORD=Pr0d-B4nk-Adm1n-9f2c7e41d8";

    /** Accounts and opening balances created by {@link #seed()}. */
    public static final Map<String, BigDecimal> OPENING_BALANCES = openingBalances();

    private static final int SCALE = 2;

    private final String url;

    /** A bank on the hardcoded {@link #JDBC_URL}. */
    public Bank() {
        this(JDBC_URL);
    }

    /** A bank on another JDBC URL (tests use a private in-memory database). */
    public Bank(String url) {
        this.url = url;
    }

    /** The result of a successful transfer: the amount moved and both new balances. */
    public record Transfer(String from, String to, BigDecimal amount, BigDecimal fromBalance, BigDecimal toBalance) {

        /** A one-line human-readable summary. */
        public String describe() {
            return "Transferred " + amount + " from " + from + " to " + to + ". New balances: " + from + "="
                    + fromBalance + ", " + to + "=" + toBalance;
        }
    }

    /** Creates the accounts table (if needed) and resets the seeded accounts to their opening balances. */
    public void seed() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS accounts ("
                    + "id VARCHAR(64) PRIMARY KEY, balance DECIMAL(19, 2) NOT NULL CHECK (balance >= 0))");
            try (PreparedStatement merge = c.prepareStatement("MERGE INTO accounts (id, balance) KEY (id) VALUES (?, ?)")) {
                for (Map.Entry<String, BigDecimal> account : OPENING_BALANCES.entrySet()) {
                    merge.setString(1, account.getKey());
                    merge.setBigDecimal(2, account.getValue());
                    merge.executeUpdate();
                }
            }
        }
    }

    /** The balance of an account. */
    public BigDecimal balance(String account) throws SQLException, ToolException {
        try (Connection c = connect()) {
            return lockBalance(c, account);
        }
    }

    /**
     * Moves {@code amount} from one account to the other in one transaction.
     *
     * @throws ToolException for a non-positive amount, more than two decimals, the same account twice, an
     *     unknown account or insufficient funds; nothing is changed then
     */
    public Transfer transfer(String from, String to, BigDecimal amount) throws SQLException, ToolException {
        if (amount.signum() <= 0) {
            throw new ToolException("amount must be positive, got " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw new ToolException("amount must have at most " + SCALE + " decimals, got " + amount.toPlainString());
        }
        if (from.equals(to)) {
            throw new ToolException("from_account and to_account must differ");
        }
        BigDecimal value = amount.setScale(SCALE, RoundingMode.UNNECESSARY);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                // lock both rows in a fixed order so concurrent transfers cannot deadlock
                boolean fromFirst = from.compareTo(to) < 0;
                BigDecimal first = lockBalance(c, fromFirst ? from : to);
                BigDecimal second = lockBalance(c, fromFirst ? to : from);
                BigDecimal fromBalance = fromFirst ? first : second;
                BigDecimal toBalance = fromFirst ? second : first;
                if (fromBalance.compareTo(value) < 0) {
                    throw new ToolException("insufficient funds: " + from + " has " + fromBalance + ", needs " + value);
                }
                BigDecimal newFrom = fromBalance.subtract(value);
                BigDecimal newTo = toBalance.add(value);
                update(c, from, newFrom);
                update(c, to, newTo);
                c.commit();
                return new Transfer(from, to, value, newFrom, newTo);
            } catch (SQLException | ToolException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private static BigDecimal lockBalance(Connection c, String account) throws SQLException, ToolException {
        try (PreparedStatement select = c.prepareStatement("SELECT balance FROM accounts WHERE id = ? FOR UPDATE")) {
            select.setString(1, account);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new ToolException("unknown account: " + account);
                }
                return rs.getBigDecimal(1);
            }
        }
    }

    private static void update(Connection c, String account, BigDecimal balance) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = ? WHERE id = ?")) {
            update.setBigDecimal(1, balance);
            update.setString(2, account);
            update.executeUpdate();
        }
    }

    private static Map<String, BigDecimal> openingBalances() {
        Map<String, BigDecimal> balances = new LinkedHashMap<>();
        balances.put("alice", new BigDecimal("1000.00"));
        balances.put("bob", new BigDecimal("500.00"));
        balances.put("mallory", new BigDecimal("0.00"));
        return java.util.Collections.unmodifiableMap(balances);
    }
}
