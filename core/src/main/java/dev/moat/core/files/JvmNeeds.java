package dev.moat.core.files;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the JVM itself reads without the operator listing it, in two kinds, computed once at start:
 *
 * <ul>
 *   <li><b>Roots readable by anyone</b> ({@link #covers}, {@link #coversAsNamed}): the runtime image
 *       ({@code java.home}), every class path and module path entry, the agent's own jar, and the random
 *       devices (reading random bytes reveals nothing). Whoever reads them, the read is the JVM's
 *       business: class loading, resources, the JDK's own data files.</li>
 *   <li><b>System files</b> ({@link #isSystemFile}): files outside those roots that the JDK reads for
 *       itself ({@link #SYSTEM_FILES}: time zone data, resolver configuration, the process's own
 *       {@code /proc/self} and cgroup files, CPU and memory information, CA certificates), and wherever a
 *       symbolic link inside the runtime image's {@code conf} and {@code lib/security} directories leads
 *       (Debian links {@code $JAVA_HOME/conf/net.properties} to {@code /etc/java-17-openjdk/net.properties}
 *       and the JDK opens it by its resolved name). A system file is a JVM need only when the JDK itself
 *       asks for it ({@link JdkCaller}); application code asking for the same file is decided like any
 *       other path. {@link PathGuard} makes that distinction.</li>
 * </ul>
 * Read and list (and inspection) only.
 *
 * <p>Decisions are made on resolved paths, so every root is kept both as named and as resolved
 * ({@code /proc/self/status} is really {@code /proc/1234/status}). Files inside the runtime image may
 * be symbolic links to elsewhere: a read that names a path inside {@link #runtimeImage()} without any
 * {@code ..} element is a JVM need too ({@link #coversAsNamed(Path)}), wherever the link leads.
 *
 * @param roots        absolute, normalised paths readable by anyone (as named and resolved); each
 *                     covers itself and everything beneath it
 * @param runtimeImage the runtime image ({@code java.home}) as named, or empty
 * @param systemFiles  absolute, normalised paths (as named and resolved) that only the JDK itself may
 *                     read without a policy rule; each covers itself and everything beneath it
 */
public record JvmNeeds(List<Path> roots, List<Path> runtimeImage, List<Path> systemFiles) {

    /** Devices anyone may read: reading random bytes reveals nothing. */
    static final List<String> RANDOM_DEVICES = List.of("/dev/random", "/dev/urandom");

    /** System files the JDK reads on its own, on Linux (readable by the JDK itself only). */
    static final List<String> SYSTEM_FILES = List.of(
            "/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo",
            "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
            "/etc/services", "/etc/protocols", "/etc/mime.types",
            "/proc/self/stat", "/proc/self/status", "/proc/self/statm", "/proc/self/maps", "/proc/self/mountinfo",
            "/proc/self/cgroup", "/proc/self/limits", "/proc/self/fd", "/proc/meminfo", "/proc/cpuinfo",
            "/proc/stat", "/proc/loadavg", "/proc/cgroups", "/sys/fs/cgroup", "/sys/devices/system/cpu",
            "/etc/ssl/certs", "/usr/share/ca-certificates", "/etc/pki");

    /** Directories of the runtime image whose symbolic links lead to files the JDK reads (searched in depth). */
    static final List<String> IMAGE_CONFIG_DIRS = List.of("conf", "lib/security");

    /** Bounds of the search for links in the runtime image (it must stay a few milliseconds). */
    private static final int MAX_LINK_SEARCH_ENTRIES = 2_000;
    private static final int MAX_LINK_SEARCH_DEPTH = 6;

    public JvmNeeds {
        roots = List.copyOf(roots);
        runtimeImage = List.copyOf(runtimeImage);
        systemFiles = List.copyOf(systemFiles);
    }

    /** Needs given as readable roots and a runtime image, with no system files. */
    public JvmNeeds(List<Path> roots, List<Path> runtimeImage) {
        this(roots, runtimeImage, List.of());
    }

    /** Needs given as resolved roots only (no runtime image read by name, no system files). */
    public JvmNeeds(List<Path> roots) {
        this(roots, List.of(), List.of());
    }

    /** No needs at all (for decisions that must not count the JVM's files, such as tool arguments). */
    public static JvmNeeds none() {
        return new JvmNeeds(List.of(), List.of(), List.of());
    }

    /**
     * The needs of this JVM: {@code java.home}, every {@code java.class.path} and
     * {@code jdk.module.path} entry, the given agent jar and {@link #RANDOM_DEVICES} as roots; and
     * {@link #SYSTEM_FILES} and the targets of the symbolic links in the runtime image's
     * {@link #IMAGE_CONFIG_DIRS} as system files; each as named and as resolved.
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
        for (String device : RANDOM_DEVICES) {
            add(roots, device);
        }
        Set<Path> system = new LinkedHashSet<>();
        for (String file : SYSTEM_FILES) {
            add(system, file);
        }
        List<Path> image = new ArrayList<>();
        if (javaHome != null && !javaHome.isBlank()) {
            Path home = Path.of(javaHome).toAbsolutePath().normalize();
            image.add(home);
            system.addAll(linkTargets(home));
        }
        return new JvmNeeds(new ArrayList<>(roots), image, new ArrayList<>(system));
    }

    /** The needs of the running JVM. */
    public static JvmNeeds current(Path agentJar) {
        return of(System.getProperty("java.home"), System.getProperty("java.class.path"),
                System.getProperty("jdk.module.path"), agentJar);
    }

    /**
     * Where the symbolic links inside {@code home}'s {@link #IMAGE_CONFIG_DIRS} lead (resolved; a link
     * to a directory covers the directory), searched without following links, within fixed bounds.
     */
    static List<Path> linkTargets(Path home) {
        List<Path> targets = new ArrayList<>();
        int[] budget = {MAX_LINK_SEARCH_ENTRIES};
        for (String dir : IMAGE_CONFIG_DIRS) {
            search(home.resolve(dir), 0, budget, targets);
        }
        return targets;
    }

    private static void search(Path dir, int depth, int[] budget, List<Path> targets) {
        if (depth > MAX_LINK_SEARCH_DEPTH) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (--budget[0] < 0) {
                    return;
                }
                BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    try {
                        targets.add(entry.toRealPath());
                    } catch (IOException | SecurityException dangling) {
                        // leads nowhere: nothing to read there
                    }
                } else if (a.isDirectory()) {
                    search(entry, depth + 1, budget, targets);
                }
            }
        } catch (IOException | SecurityException | UncheckedIOException e) {
            // no such directory in this image (or unreadable): no links to follow
        }
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

    /** Whether {@code path} (absolute, resolved) is one of the roots readable by anyone or beneath one, by element. */
    public boolean covers(Path path) {
        return under(roots, path);
    }

    /**
     * Whether {@code path} (absolute, resolved) is one of the {@link #systemFiles()} or beneath one, by
     * element: readable without a rule only when the JDK itself asks ({@link JdkCaller}).
     */
    public boolean isSystemFile(Path path) {
        return under(systemFiles, path);
    }

    private static boolean under(List<Path> paths, Path path) {
        for (int i = 0, n = paths.size(); i < n; i++) {
            if (path.startsWith(paths.get(i))) {
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
