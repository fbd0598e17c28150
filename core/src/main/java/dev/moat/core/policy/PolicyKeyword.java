package dev.moat.core.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A word from one of the policy file's closed vocabularies ({@code enforce}, {@code read},
 * {@code html}, ...). Every such vocabulary is a Java enum implementing this interface, so the
 * parser, the error messages and the JSON Schema test all read the same list.
 */
public interface PolicyKeyword {

    /** The exact word written in the policy file. */
    String keyword();

    /** The constant whose {@link #keyword()} equals {@code word} (case-sensitive). */
    static <E extends Enum<E> & PolicyKeyword> Optional<E> find(Class<E> type, String word) {
        for (E e : type.getEnumConstants()) {
            if (e.keyword().equals(word)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The vocabulary as written in messages: {@code read, write, create}. */
    static <E extends Enum<E> & PolicyKeyword> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(PolicyKeyword::keyword).collect(Collectors.joining(", "));
    }
}
