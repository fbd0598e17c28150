package dev.moat.demo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trivial {@code main} for {@link StartupBenchmark}'s memory figures: it does nothing but print
 * its own peak and current resident set size ({@code VmHWM} and {@code VmRSS} from
 * {@code /proc/self/status}, in kB) as one line on standard output, {@code VmHWM=... VmRSS=...}.
 * Run bare and under the agent, the difference is the memory the agent adds to any JVM. Linux only.
 */
public final class TrivialMain {

    private TrivialMain() {
    }

    public static void main(String[] args) throws IOException {
        long hwm = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line);
            } else if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            }
        }
        System.out.println("VmHWM=" + hwm + " VmRSS=" + rss);
    }

    private static long kilobytes(String line) {
        String value = line.substring(line.indexOf(':') + 1).trim();
        return Long.parseLong(value.substring(0, value.indexOf(' ')));
    }
}
