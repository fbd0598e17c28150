package dev.moat.core.files;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the JVM itself reads without the operator listing it: its runtime image, the class path, the
 * agent's own jar, and the system files the JDK reads for itself (random devices, time zone data,
 * the process's own /proc and cgroup files, resolver configuration). Read and list only; computed
 * once at start.
 *
 * @param roots absolute, normalised paths; each covers itself and everything beneath it
 */
public record JvmNeeds(List<Path> roots) {

    /** System files the JDK reads on its own, on Linux. */
    static final List<String> SYSTEM_FILES = List.of(
            "/dev/random", "/dev/urandom", "/dev/null",
            "/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo",
            "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
            "/etc/services", "/etc/protocols", "/etc/mime.types",
            "/proc/self/stat", "/proc/self/status", "/proc/self/statm", "/proc/self/maps", "/proc/self/mountinfo",
            "/proc/self/cgroup", "/proc/self/limits", "/proc/self/fd", "/proc/meminfo", "/proc/cpuinfo",
            "/proc/stat", "/proc/loadavg", "/sys/fs/cgroup", "/sys/devices/system/cpu",
            "/etc/ssl/certs", "/usr/share/ca-certificates", "/etc/pki");

    public JvmNeeds {
        roots = List.copyOf(roots);
    }

    /**
     * The needs of this JVM: {@code java.home}, every {@code java.class.path} and
     * {@code jdk.module.path} entry, the given agent jar, and {@link #SYSTEM_FILES}.
     */
    public static JvmNeeds of(String javaHome, String classPath, String modulePath, Path agentJar) {
        List<Path> roots = new ArrayList<>();
        add(roots, javaHome);
        for (String path : List.of(classPath == null ? "" : classPath, modulePath == null ? "" : modulePath)) {
            for (String entry : path.split(File.pathSeparator)) {
                add(roots, entry);
            }
        }
        if (agentJar != null) {
            roots.add(agentJar.toAbsolutePath().normalize());
        }
        for (String file : SYSTEM_FILES) {
            add(roots, file);
        }
        return new JvmNeeds(roots);
    }

    /** The needs of the running JVM. */
    public static JvmNeeds current(Path agentJar) {
        return of(System.getProperty("java.home"), System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path"), agentJar);
    }

    private static void add(List<Path> roots, String entry) {
        if (entry == null || entry.isBlank()) {
            return;
        }
        try {
            roots.add(Path.of(entry).toAbsolutePath().normalize());
        } catch (RuntimeException ignored) {
            // a malformed class-path entry names nothing the JVM can read anyway
        }
    }

    /** Whether {@code path} (absolute, resolved) is one of the roots or beneath one, by element. */
    public boolean covers(Path path) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
