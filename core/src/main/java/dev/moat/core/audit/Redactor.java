package dev.moat.core.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes tool arguments safe to write down: values under sensitive keys (any key containing one of the
 * configured words, case-insensitively) and values that look like credentials are replaced by
 * {@value #REDACTED}. Works on the JSON-like trees MCP arguments arrive as (maps, lists, scalars).
 */
public final class Redactor {

    /** The replacement text. */
    public static final String REDACTED = "[REDACTED]";

    private static final int MAX_DEPTH = 32;
    private static final int MAX_STRING = 4096;
    /** The shortest text {@link #CREDENTIAL_VALUE} can match ({@code pwd=x}); shorter values skip the regex. */
    static final int MIN_CREDENTIAL_LENGTH = 5;
    /** {@code AKIA} or {@code ASIA} and 16 more: the one credential shape without punctuation. */
    private static final int AWS_KEY_ID_LENGTH = 20;

    /** Values that look like credentials whatever key they sit under. */
    static final Pattern CREDENTIAL_VALUE = Pattern.compile(
            "(?i)(bearer\\s+[a-z0-9._~+/=-]{8,}"
                    + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"
                    + "|\\bgh[pousr]_[A-Za-z0-9]{20,}"
                    + "|\\bxox[abpr]-[A-Za-z0-9-]{10,}"
                    + "|\\bsk-[A-Za-z0-9_-]{20,}"
                    + "|-----BEGIN [A-Z ]*PRIVATE KEY-----"
                    + "|\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
                    + "|[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@"
                    + "|(?:password|passwd|pwd|secret|token)\\s*[=:]\\s*\\S+)");

    private final List<String> sensitiveWords;

    /** @param sensitiveKeys words that make a key sensitive, for example {@code password}, {@code token} */
    public Redactor(List<String> sensitiveKeys) {
        List<String> words = new ArrayList<>();
        for (String k : sensitiveKeys) {
            words.add(k.toLowerCase(Locale.ROOT));
        }
        this.sensitiveWords = List.copyOf(words);
    }

    /** True if values under this key are never written. */
    public boolean isSensitiveKey(String key) {
        for (String word : sensitiveWords) {
            if (containsIgnoreCase(key, word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text.toLowerCase(ROOT).contains(lowerWord)} without making a lower-case copy of every key. */
    private static boolean containsIgnoreCase(String text, String lowerWord) {
        int last = text.length() - lowerWord.length();
        for (int i = 0; i <= last; i++) {
            if (text.regionMatches(true, i, lowerWord, 0, lowerWord.length())) {
                return true;
            }
        }
        return false;
    }

    /** True if the text looks like it carries a credential. */
    public static boolean looksLikeCredential(String text) {
        return text.length() >= MIN_CREDENTIAL_LENGTH && mayMatch(text) && CREDENTIAL_VALUE.matcher(text).find();
    }

    /**
     * False only when {@link #CREDENTIAL_VALUE} cannot match: every alternative but the AWS key id
     * needs a space, {@code _}, {@code -}, {@code .}, {@code :} or {@code =}, and an AWS key id is
     * {@value #AWS_KEY_ID_LENGTH} characters long. Most argument values (words, names, numbers, short
     * queries) are decided here without running the regex.
     */
    static boolean mayMatch(String text) {
        if (text.length() >= AWS_KEY_ID_LENGTH) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '_' || c == '-' || c == '.' || c == ':' || c == '=') {
                return true;
            }
        }
        return false;
    }

    /** A redacted copy of an argument tree; long strings are cut to a bounded length. */
    public Object redact(Object value) {
        return redact(value, 0);
    }

    private Object redact(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            return "[TOO DEEP]";
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                out.put(key, isSensitiveKey(key) ? REDACTED : redact(e.getValue(), depth + 1));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(redact(item, depth + 1));
            }
            return out;
        }
        if (value instanceof CharSequence text) {
            String s = text.toString();
            if (looksLikeCredential(s)) {
                return REDACTED;
            }
            return s.length() > MAX_STRING ? s.substring(0, MAX_STRING) + "...[" + s.length() + " chars]" : s;
        }
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return redact(String.valueOf(value), depth);
    }
}
