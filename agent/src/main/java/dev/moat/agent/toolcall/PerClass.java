package dev.moat.agent.toolcall;

import java.util.function.Function;

/**
 * A value computed once per class, like {@link ClassValue}, with the last class asked about
 * remembered in front of it. The tool-call path asks about the same one or two classes on every call
 * (the SDK's exchange, the servlet request); a {@code ClassValue} read walks its per-class map, which
 * profiled at about 1 µs per call in a busy server where that map is never in cache, while the
 * remembered entry is one field compared by identity. The remembered class is held strongly: each
 * cache keeps at most one class (and so its loader) reachable until another class is asked about.
 */
final class PerClass<T> {

    /** The last class asked about and its value; immutable, so a racing reader sees a whole entry. */
    private record Entry<T>(Class<?> type, T value) {
    }

    private final ClassValue<T> values;
    private Entry<T> last;

    PerClass(Function<Class<?>, T> compute) {
        this.values = new ClassValue<>() {
            @Override
            protected T computeValue(Class<?> type) {
                return compute.apply(type);
            }
        };
    }

    /** The value for {@code type}, computed on first use. */
    T get(Class<?> type) {
        Entry<T> entry = last;
        if (entry != null && entry.type() == type) {
            return entry.value();
        }
        T value = values.get(type);
        last = new Entry<>(type, value);
        return value;
    }
}
