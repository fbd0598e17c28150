package dev.moat.core.audit;

import java.time.Instant;

/**
 * Formats instants exactly as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in 0,
 * 3, 6 or 9 digits as needed), at a fraction of its cost for a stream of instants in the same second:
 * the date and time of day are formatted by the JDK once per second and only the fraction per call.
 * Not thread-safe: one per writer thread.
 */
final class IsoTimestamps {

    private long second = Long.MIN_VALUE;
    /** {@code Instant.ofEpochSecond(second).toString()} without its {@code Z}. */
    private String prefix;

    String format(Instant instant) {
        long s = instant.getEpochSecond();
        if (s != second || prefix == null) {
            String whole = Instant.ofEpochSecond(s).toString();
            prefix = whole.substring(0, whole.length() - 1);
            second = s;
        }
        int nano = instant.getNano();
        StringBuilder out = new StringBuilder(prefix.length() + 11).append(prefix);
        if (nano != 0) {
            int digits;
            int value;
            if (nano % 1_000_000 == 0) {
                digits = 3;
                value = nano / 1_000_000;
            } else if (nano % 1_000 == 0) {
                digits = 6;
                value = nano / 1_000;
            } else {
                digits = 9;
                value = nano;
            }
            out.append('.');
            for (int width = digits(value); width < digits; width++) {
                out.append('0');
            }
            out.append(value);
        }
        return out.append('Z').toString();
    }

    private static int digits(int value) {
        int n = 1;
        while (value >= 10) {
            value /= 10;
            n++;
        }
        return n;
    }
}
