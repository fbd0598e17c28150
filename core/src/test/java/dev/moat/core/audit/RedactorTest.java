package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(List.of("password", "token", "secret", "key", "authorization"));

    @Test
    void redactsSensitiveKeysAtAnyDepthCaseInsensitively() {
        Object out = redactor.redact(Map.of("user", "bob", "DB_Password", "hunter2",
                "nested", Map.of("apiKey", "abc", "list", List.of(Map.of("Authorization", "x")))));
        assertThat(out).isEqualTo(Map.of("user", "bob", "DB_Password", Redactor.REDACTED,
                "nested", Map.of("apiKey", Redactor.REDACTED, "list", List.of(Map.of("Authorization", Redactor.REDACTED)))));
    }

    @Test
    void redactsValuesThatLookLikeCredentials() {
        assertThat(redactor.redact("Bearer abcdefghijklmnop")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("AKIAABCDEFGHIJKLMNOP")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("ghp_abcdefghijklmnopqrstuvwxyz0123")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("postgres://app:s3cret@db:5432/x")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("jdbc:h2:mem:x;USER=a;PASSWORD=b")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("../etc/passwd")).isEqualTo("../etc/passwd");
        assertThat(redactor.redact(42)).isEqualTo(42);
    }

    @Test
    void theShortestCredentialTextIsStillCaughtAndShorterTextSkipsTheScan() {
        assertThat("pwd=x").hasSize(Redactor.MIN_CREDENTIAL_LENGTH);
        assertThat(redactor.redact("pwd=x")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("PWD:y")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.redact("pwd=")).isEqualTo("pwd=");
        assertThat(redactor.redact("q1")).isEqualTo("q1");
    }

    @Test
    void thePrefilterNeverSkipsTextTheCredentialPatternWouldMatch() {
        assertThat(Redactor.mayMatch("q12345")).isFalse();
        assertThat(Redactor.mayMatch("hello world")).isTrue();
        assertThat(Redactor.mayMatch("AKIAABCDEFGHIJKLMNOP")).isTrue();
        // random text over an alphabet rich in what the pattern looks for
        String alphabet = "akisbexyjghopuwrdtnAKISBEXYJGHOPUWRDTN0123456789 _-.:=/@\t";
        java.util.Random random = new java.util.Random(42);
        int matched = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(30);
            if (random.nextInt(4) == 0) {
                text.append(List.of("bearer ", "AKIA", "ASIA", "ghp_", "xoxb-", "sk-", "eyJ", "pwd=", "x://")
                        .get(random.nextInt(9)));
            }
            while (text.length() < length) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            if (Redactor.CREDENTIAL_VALUE.matcher(candidate).find()) {
                matched++;
                assertThat(Redactor.mayMatch(candidate)).as(candidate).isTrue();
            }
        }
        assertThat(matched).as("the sample exercises the pattern").isGreaterThan(1000);
    }

    @Test
    void keyMatchingIgnoresCaseAnywhereInTheKeyAndAcrossUnicodeCaseFolds() {
        assertThat(redactor.isSensitiveKey("X-AUTHORIZATION-HEADER")).isTrue();
        assertThat(redactor.isSensitiveKey("refresh_tOkEn")).isTrue();
        assertThat(redactor.isSensitiveKey("\u212Aey")).as("Kelvin sign folds to k").isTrue();
        assertThat(redactor.isSensitiveKey("pa\u017Fsword")).as("long s folds to s").isTrue();
        assertThat(redactor.isSensitiveKey("ke")).isFalse();
        assertThat(redactor.isSensitiveKey("")).isFalse();
        assertThat(redactor.isSensitiveKey("monkey_business")).isTrue();
        assertThat(redactor.isSensitiveKey("query")).isFalse();
    }

    @Test
    void boundsLongStringsAndDeepTrees() {
        String longText = "a".repeat(10_000);
        assertThat((String) redactor.redact(longText)).hasSizeLessThan(4200).endsWith("[10000 chars]");
        Object deep = "leaf";
        for (int i = 0; i < 100; i++) {
            deep = List.of(deep);
        }
        assertThat(redactor.redact(deep).toString()).contains("[TOO DEEP]");
    }
}
