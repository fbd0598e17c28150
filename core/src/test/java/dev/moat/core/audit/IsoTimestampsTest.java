package dev.moat.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {

    private final IsoTimestamps timestamps = new IsoTimestamps();

    @Test
    void formatsExactlyAsInstantToStringForEveryFractionWidth() {
        long second = Instant.parse("2026-12-03T17:13:07Z").getEpochSecond();
        int[] nanos = {0, 1, 9, 10, 999, 1_000, 10_000, 120_000, 999_999, 1_000_000, 7_000_000, 100_000_000,
            123_000_000, 123_400_000, 123_450_000, 123_456_000, 123_456_700, 123_456_789, 999_999_999, 500_000_001};
        for (int nano : nanos) {
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(timestamps.format(t)).as("nano %d", nano).isEqualTo(t.toString());
        }
    }

    @Test
    void followsTheSecondAcrossMinutesDaysYearsAndTheEpoch() {
        String[] instants = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59.5Z",
            "2024-03-01T00:00:00.000001Z", "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z",
            "+10000-01-01T00:00:00.000000001Z", "-0001-06-15T12:00:00.25Z"};
        for (String text : instants) {
            Instant t = Instant.parse(text);
            assertThat(timestamps.format(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void agreesWithInstantToStringOnRandomInstantsInAndOutOfOrder() {
        SplittableRandom random = new SplittableRandom(42);
        long base = Instant.parse("2026-12-03T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            // mostly the same few seconds (the cache's case), sometimes anywhere in four centuries
            long second = random.nextInt(10) < 8 ? base + random.nextInt(3)
                    : random.nextLong(-6_000_000_000L, 7_000_000_000L);
            int nano = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(1_000) * 1_000_000;
                case 1 -> random.nextInt(1_000_000) * 1_000;
                case 2 -> random.nextInt(1_000_000_000);
                default -> 0;
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(timestamps.format(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void formatsEverySecondOfTheFourDigitYearsLikeTheJdk() {
        SplittableRandom random = new SplittableRandom(9);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long[] edges = {first, first - 1, first + 1, last, last + 1, last - 1, 0, -1, 1, 951_782_400L, 951_868_799L,
            4_107_542_400L, -2_203_891_200L};
        for (long s : edges) {
            assertThat(timestamps.format(Instant.ofEpochSecond(s))).isEqualTo(Instant.ofEpochSecond(s).toString());
        }
        for (int i = 0; i < 200_000; i++) {
            long s = random.nextLong(first - 100_000, last + 100_000);
            assertThat(timestamps.format(Instant.ofEpochSecond(s))).isEqualTo(Instant.ofEpochSecond(s).toString());
        }
        for (long day = -800_000; day < 800_000; day += 7) {
            long s = day * 86_400 + 86_399;
            assertThat(IsoTimestamps.dateAndTime(s) + "Z").isEqualTo(Instant.ofEpochSecond(s).toString());
        }
    }
}
