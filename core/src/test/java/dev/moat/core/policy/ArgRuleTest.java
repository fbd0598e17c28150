package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ArgRuleTest {

    private static Map<String, ArgRule> args() throws PolicyException {
        return PolicyLoader.parse("""
                version: 1
                tools:
                  t:
                    args:
                      s: { type: string, maxLength: 3, pattern: "[a-z]+" }
                      p: { type: path }
                      i: { type: integer, minimum: -1, maximum: 10 }
                      n: { type: number, minimum: 0.5 }
                      b: { type: boolean }
                """, "a.yaml", ENV).tool("t").orElseThrow().args();
    }

    @Test
    void strings() throws Exception {
        ArgRule s = args().get("s");
        assertThat(s.violation("abc")).isEmpty();
        assertThat(s.violation(null)).isEmpty();
        assertThat(s.violation("abcd")).contains("argument 's' is longer than 3 characters");
        assertThat(s.violation("AB")).contains("argument 's' does not match the pattern [a-z]+");
        assertThat(s.violation(5)).contains("argument 's' must be a string (string), got a number");
        assertThat(args().get("p").violation(List.of())).contains("argument 'p' must be a string (path), got an array");
        assertThat(args().get("p").violation("/any/path")).isEmpty();
    }

    @Test
    void numbersAndBooleans() throws Exception {
        ArgRule i = args().get("i");
        assertThat(i.violation(3)).isEmpty();
        assertThat(i.violation(3L)).isEmpty();
        assertThat(i.violation(new BigInteger("10"))).isEmpty();
        assertThat(i.violation(3.0)).isEmpty();
        assertThat(i.violation(3.5)).contains("argument 'i' must be an integer, got 3.5");
        assertThat(i.violation(11)).contains("argument 'i' is above the maximum 10");
        assertThat(i.violation(-2)).contains("argument 'i' is below the minimum -1");
        assertThat(i.violation("3")).contains("argument 'i' must be an integer, got a string");
        ArgRule n = args().get("n");
        assertThat(n.violation(new BigDecimal("0.5"))).isEmpty();
        assertThat(n.violation(0.4f)).contains("argument 'n' is below the minimum 0.5");
        assertThat(n.violation(Double.NaN)).contains("argument 'n' must be a number, got a number");
        ArgRule b = args().get("b");
        assertThat(b.violation(true)).isEmpty();
        assertThat(b.violation("true")).contains("argument 'b' must be a boolean, got a string");
        assertThat(b.violation(Map.of())).contains("argument 'b' must be a boolean, got an object");
    }
}
