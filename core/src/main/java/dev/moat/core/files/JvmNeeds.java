package dev.moat.core.files;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the JVM itself reads without the operator listing it: its runtime image, the class path, the
 * agent's own jar, and the system files the JDK reads for itself (random devices, time zone data,
 * the process's own /proc and cgroup files, resolver configuration). Read and list only; computed
 * once at start.
 *
 * <p>Decisions are made on resolved paths, so every root is kept both as named and as resolved
 * ({@code /proc/self/status} is really {@code /proc/1234/status}). Files inside the runtime image may
 * be symbolic links to elsewhere (Debian links {@code $JAVA_HOME/conf/security/java.security} to
 * {@code /etc/java-17-openjdk/...}): a read that names a path inside {@link #runtimeImage()} without any
 * {@code ..} element is a JVM need too ({@link #coversAsNamed(Path)}), wherever the link leads.
 *
 * @param roots        absolute, normalised paths (as named and resolved); each covers itself and
 *                     everything beneath it
 * @param runtimeImage the runtime image ({@code java.home}) as named, or empty
 */
public record JvmNeeds(List<Path> roots, List<Path> runtimeImage) {

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
        runtimeImage = List.copyOf(runtimeImage);
    }

    /** Needs given as resolved roots only (no runtime image read by name). */
    public JvmNeeds(List<Path> roots) {
        this(roots, List.of());
    }

    /** No needs at all (for decisions that must not count the JVM's files, such as tool arguments). */
    public static JvmNeeds none() {
        return new JvmNeeds(List.of(), List.of());
    }

    /**
     * The needs of this JVM: {@code java.home}, every {@code java.class.path} and
     * {@code jdk.module.path} entry, the given agent jar, and {@link #SYSTEM_FILES}, each as named
     * and as resolved.
     */
    public static JvmNeeds of(String javaHome, String classPath, String modulePath, Path agentJar) {
        Set<Path> roots = new LinkedHashSet<>();
        add(roots, javaHome);
        for (String path : List.of(classPath == null ? "" : classPath, modulePath == null ? "" : modulePath)) {
            for (String entry : path.split(File.pathSeparator)) {
                add(roots, entry);
            }
        }
        if (agentJar != null) {
            add(roots, agentJar.toString());
        }
        for (String file : SYSTEM_FILES) {
            add(roots, file);
        }
        List<Path> image = new ArrayList<>();
        if (javaHome != null && !javaHome.isBlank()) {
            image.add(Path.of(javaHome).toAbsolutePath().normalize());
        }
        return new JvmNeeds(new ArrayList<>(roots), image);
    }

    /** The needs of the running JVM. */
    public static JvmNeeds current(Path agentJar) {
        return of(System.getProperty("java.home"), System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path"), agentJar);
    }

    private static void add(Set<Path> roots, String entry) {
        if (entry == null || entry.isBlank()) {
            return;
        }
        try {
            Path named = Path.of(entry).toAbsolutePath().normalize();
            roots.add(named);
            try {
                roots.add(named.toRealPath());
            } catch (IOException | SecurityException missing) {
                // not there (yet): the named form is all we can know
            }
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

    /**
     * Whether {@code requested} (absolute, as the application named it, before resolving links) lies
     * in the runtime image and climbs nowhere ({@code ..}): the JDK reading its own files by name.
     */
    public boolean coversAsNamed(Path requested) {
        if (runtimeImage.isEmpty() || requested == null) {
            return false;
        }
        String s = requested.toString();
        if (s.contains("/../") || s.endsWith("/..")) {
            return false;
        }
        Path named = requested.normalize();
        for (Path image : runtimeImage) {
            if (named.startsWith(image)) {
                return true;
            }
        }
        return false;
    }
}
