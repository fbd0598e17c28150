package dev.moat.core.files;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Tells whether a file access is the JDK's own need or a request of the application, from the stack of
 * the thread that makes it. Used only on the slow path of {@link PathGuard}: a read of a system file
 * ({@link JvmNeeds#isSystemFile}) that no policy rule allows.
 *
 * <p>The stack is read from the hook outward, one frame at a time ({@link #step}):
 * <ol>
 *   <li>the agent's own frames on top ({@code dev.moat.*}: the guard, the hook handler, the bridge) are
 *       skipped; a {@code dev.moat.*} frame further down is an ordinary frame;</li>
 *   <li>frames of classes loaded by the JDK (the boot or platform loader, in a named module) that only
 *       pass a file on ({@link #PASS_THROUGH}: the java.io and NIO plumbing, and JDK code that opens what
 *       its caller names, such as {@code file:} and {@code jar:} URLs, {@code Scanner}, zip and jar
 *       files, the XML parsers, class loading, the HTTP client's file publishers) are skipped;</li>
 *   <li>the first frame left decides: the request is the JDK's own when that class is loaded by the
 *       JDK and is either JDK-internal ({@link #JDK_INTERNAL}: {@code sun.*}, {@code jdk.internal.*},
 *       {@code com.sun.jndi.*}, ...) or one of the few public JDK classes known to read system
 *       configuration ({@link #JDK_READERS}: {@code TimeZone}, {@code java.time.zone}, {@code InetAddress},
 *       {@code LogManager}, {@code Currency}, {@code Security}, ...). Anything else is the
 *       application's: its own classes, a library's, {@code java.util.stream} calling a method
 *       reference, an executor running a task, a class named like the JDK's but not loaded by it.</li>
 * </ol>
 * A stack with no deciding frame is the application's. Reflection and hidden frames (lambda forms,
 * lambda proxies) are not shown ({@link StackWalker}'s default), so a reflective call is seen as a call
 * from the code that made it.
 *
 * <p>{@link #step} and {@link #isJdk(Iterable)} are pure functions over (class name, loaded by the JDK)
 * frames; {@link #onThisStack()} applies them to the current thread with one {@link StackWalker}
 * (created once, {@link StackWalker.Option#RETAIN_CLASS_REFERENCE}) that stops at the deciding frame.
 * The first walk loads a few JDK classes: call {@link #warmUp()} once at start, before the hooks go
 * live, so that no hook path loads classes later.
 */
public final class JdkCaller implements BooleanSupplier {

    /** What one frame means for the decision. */
    public enum Verdict {
        /** Look further out. */
        SKIP,
        /** The JDK's own request. */
        JDK,
        /** The application's request. */
        APPLICATION
    }

    /**
     * One stack frame as the classifier sees it.
     *
     * @param className       the binary name of the frame's class
     * @param loadedByJdk     whether the class was loaded by the boot or platform class loader into a
     *                        named module (the JDK's own classes; not the boot class path's)
     */
    public record Frame(String className, boolean loadedByJdk) {
    }

    /** The agent's own classes (skipped only while they are on top of the stack). */
    static final String AGENT = "dev.moat.";

    /*
     * The lists below hold prefixes of binary class names: "a.b." is a package and its subpackages,
     * "a.b.C*" every class whose name starts with "a.b.C", "a.b.C" that class and its nested classes.
     */

    /**
     * JDK classes that read a system file for the JDK itself although their package only passes files
     * on ({@link #PASS_THROUGH}): checked first.
     */
    static final List<String> JDK_SELF_READERS = List.of(
            "sun.nio.fs.MimeTypesFileTypeDetector");   // Files.probeContentType reads /etc/mime.types

    /**
     * JDK code that opens what its caller names, or only carries an open out: skipped, so that the
     * caller decides.
     */
    static final List<String> PASS_THROUGH = List.of(
            // file API plumbing
            "java.io.", "java.nio.", "sun.nio.fs.", "sun.nio.ch.",
            // URLs, class loading and modules: open what the URL, class path or module path names
            "java.net.URL*", "java.net.JarURLConnection", "sun.net.www.protocol.file.", "sun.net.www.protocol.jar.",
            "java.lang.ClassLoader", "java.lang.Class", "java.lang.Module", "java.lang.module.",
            "jdk.internal.loader.", "jdk.internal.module.",
            // readers, formatters and archives over a file the caller names
            "java.util.Scanner", "java.util.Formatter", "java.util.zip.", "java.util.jar.", "jdk.nio.zipfs.",
            "java.util.Properties", "java.util.logging.FileHandler",
            // XML parsers, transformers and catalogs: open the documents (and their entities) they are given
            "javax.xml.", "org.xml.sax.", "org.w3c.dom.", "com.sun.org.apache.", "jdk.xml.internal.",
            "com.sun.xml.internal.",
            // JDK code that serves or sends files its caller names (SimpleFileServer, BodyPublishers.ofFile)
            "sun.net.httpserver.", "jdk.internal.net.http.",
            // JDK code that reads a configuration file its caller names
            "sun.security.provider.ConfigFile", "sun.security.provider.PolicyFile",
            "sun.security.provider.PolicyParser", "sun.security.pkcs11.", "javax.security.auth.login.",
            // privileged actions: whoever created the action decides
            "sun.security.action.", "java.security.AccessController",
            // method handles, continuations (virtual threads)
            "java.lang.invoke.", "jdk.internal.vm.");

    /** Packages that are the JDK's implementation, not an API the application calls to name a file. */
    static final List<String> JDK_INTERNAL = List.of(
            "sun.", "jdk.internal.", "jdk.jfr.internal.", "com.sun.jndi.", "com.sun.crypto.provider.",
            "com.sun.management.internal.", "com.sun.net.ssl.internal.");

    /** Public JDK classes known to read system configuration for the JDK. */
    static final List<String> JDK_READERS = List.of(
            "java.util.TimeZone", "java.time.zone.", "java.time.ZoneId", "java.time.ZoneRegion",
            "java.net.Inet*", "java.util.logging.LogManager", "java.util.Currency", "java.security.Security");

    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final JdkCaller ON_THIS_STACK = new JdkCaller();

    private final Walk walk = new Walk();

    private JdkCaller() {
    }

    /** The classifier of the current thread's stack ({@link #getAsBoolean()} is {@link #isJdkOnThisStack()}). */
    public static JdkCaller onThisStack() {
        return ON_THIS_STACK;
    }

    /** Whether the current thread's file access is the JDK's own request (walks the stack). */
    @Override
    public boolean getAsBoolean() {
        return isJdkOnThisStack();
    }

    /** Whether the current thread's file access is the JDK's own request (walks the stack). */
    public boolean isJdkOnThisStack() {
        return WALKER.walk(walk);
    }

    /**
     * Walks the current stack once, so that every class the walk needs is loaded and initialised now
     * rather than on a hook path. Call once at start, before the file hooks go live.
     */
    public static void warmUp() {
        ON_THIS_STACK.isJdkOnThisStack();
        isJdk(List.of(new Frame(AGENT + "Warm", false), new Frame("java.io.FileInputStream", true),
                new Frame("sun.net.NetProperties", true)));
    }

    // ---------------------------------------------------------------- the pure classifier

    /**
     * Whether a stack, given from the hook outward, is the JDK's own request ({@link #step} over its
     * frames; a stack with no deciding frame is the application's).
     */
    public static boolean isJdk(Iterable<Frame> framesFromHookOutward) {
        boolean onTop = true;
        for (Frame f : framesFromHookOutward) {
            Verdict v = step(f.className(), f.loadedByJdk(), onTop);
            if (v != Verdict.SKIP) {
                return v == Verdict.JDK;
            }
            onTop = onTop && f.className().startsWith(AGENT);
        }
        return false;
    }

    /**
     * What one frame means.
     *
     * @param className   the frame's class (binary name)
     * @param loadedByJdk whether the JDK (boot or platform loader, named module) loaded that class
     * @param onTop       whether every frame before this one (nearer the hook) was the agent's
     */
    public static Verdict step(String className, boolean loadedByJdk, boolean onTop) {
        if (onTop && className.startsWith(AGENT)) {
            return Verdict.SKIP;
        }
        if (!loadedByJdk) {
            return Verdict.APPLICATION;
        }
        if (matches(JDK_SELF_READERS, className)) {
            return Verdict.JDK;
        }
        if (matches(PASS_THROUGH, className)) {
            return Verdict.SKIP;
        }
        return matches(JDK_INTERNAL, className) || matches(JDK_READERS, className) ? Verdict.JDK : Verdict.APPLICATION;
    }

    /** Whether {@code className} is covered by one of {@code prefixes} (see the lists' comment). */
    static boolean matches(List<String> prefixes, String className) {
        for (int i = 0, n = prefixes.size(); i < n; i++) {
            String p = prefixes.get(i);
            char last = p.charAt(p.length() - 1);
            if (last == '*') {
                if (className.regionMatches(0, p, 0, p.length() - 1)) {
                    return true;
                }
            } else if (className.startsWith(p)
                    && (last == '.' || className.length() == p.length() || className.charAt(p.length()) == '$')) {
                return true;
            }
        }
        return false;
    }

    /** Whether the JDK loaded {@code c}: the boot or platform loader, into a named module. */
    static boolean loadedByJdk(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return (loader == null || loader == PLATFORM) && c.getModule().isNamed();
    }

    /** The walk: stops at the first frame that decides. A named class, not a lambda (no linkage on a hook path). */
    private static final class Walk implements Function<Stream<StackFrame>, Boolean> {
        @Override
        public Boolean apply(Stream<StackFrame> frames) {
            boolean onTop = true;
            for (Iterator<StackFrame> it = frames.iterator(); it.hasNext(); ) {
                Class<?> c = it.next().getDeclaringClass();
                String name = c.getName();
                Verdict v = step(name, loadedByJdk(c), onTop);
                if (v != Verdict.SKIP) {
                    return v == Verdict.JDK ? Boolean.TRUE : Boolean.FALSE;
                }
                onTop = onTop && name.startsWith(AGENT);
            }
            return Boolean.FALSE;
        }
    }
}
