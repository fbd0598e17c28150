package dev.moat.core.audit;

import java.time.Instant;

/**
 * Formats instants exactly as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in 0,
 * 3, 6 or 9 digits as needed), at a fraction of its cost for a stream of instants in the same second:
 * the date and time of day are formatted once per second and only the fraction per call. Years 0000
 * to 9999 are formatted here (the JDK's formatter loads some sixty {@code java.time} classes on first
 * use, on the audit writer's first event); others by {@link Instant#toString()}.
 * Not thread-safe: one per writer thread.
 */
final class IsoTimestamps {

    private long second = Long.MIN_VALUE;
    /** {@code Instant.ofEpochSecond(second).toString()} without its {@code Z}. */
    private String prefix;

    String format(Instant instant) {
        long s = instant.getEpochSecond();
        if (s != second || prefix == null) {
            prefix = dateAndTime(s);
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

    /** The first 0000 and the last 9999 second formatted here. */
    private static final long FIRST = -62_167_219_200L;
    private static final long LAST = 253_402_300_799L;

    /** {@code Instant.ofEpochSecond(epochSecond).toString()} without its {@code Z}. */
    static String dateAndTime(long epochSecond) {
        if (epochSecond < FIRST || epochSecond > LAST) {
            String whole = Instant.ofEpochSecond(epochSecond).toString();
            return whole.substring(0, whole.length() - 1);
        }
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        char[] out = new char[19];
        put(out, 0, year, 4);
        out[4] = '-';
        put(out, 5, month, 2);
        out[7] = '-';
        put(out, 8, day, 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
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
