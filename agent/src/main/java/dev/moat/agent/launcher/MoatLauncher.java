package dev.moat.agent.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Entry point of {@code moat-agent.jar}: {@code Premain-Class}, {@code Agent-Class} and
 * {@code Main-Class}. It does almost nothing: it finds its own jar, refuses to run from inside an
 * application jar, puts the bridge into the boot loader and hands over to the isolated agent.
 * It is loaded by the application class loader, so it uses nothing but the JDK.
 */
public final class MoatLauncher {

    /** Manifest attribute that marks the real agent jar (set by the build). */
    static final String MARKER_ATTRIBUTE = "Moat-Agent-Jar";
    /** Exit status when the agent refuses to let the JVM start unprotected (EX_CONFIG). */
    public static final int EXIT_CONFIG = 78;

    private static final String INSTALLER = "dev.moat.agent.AgentInstaller";
    private static final String CLI = "dev.moat.agent.cli.MoatCli";

    private MoatLauncher() {
    }

    /** {@code -javaagent:moat-agent.jar=ARGS}. */
    public static void premain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, true);
    }

    /** Dynamic attach. Never exits the host JVM. */
    public static void agentmain(String agentArgs, Instrumentation inst) {
        start(agentArgs, inst, false);
    }

    /** {@code java -jar moat-agent.jar COMMAND ...}: the command-line tools. */
    public static void main(String[] args) throws Exception {
        Path jar;
        try {
            jar = ownJar();
        } catch (IllegalStateException e) {
            System.err.println("moat: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        ClassLoader isolated = new IsolatedClassLoader(jar);
        Method run = isolated.loadClass(CLI).getMethod("run", String[].class);
        int status = (Integer) run.invoke(null, (Object) args);
        System.exit(status);
    }

    private static void start(String agentArgs, Instrumentation inst, boolean premain) {
        PrintStream err = System.err;
        try {
            Path jar = ownJar();
            IsolatedClassLoader isolated = new IsolatedClassLoader(jar);
            if (!isolated.hasIsolatedPart()) {
                throw new IllegalStateException(jar + " is not a complete moat-agent.jar (no " + IsolatedClassLoader.PREFIX
                        + "); rebuild it with 'mvn package'");
            }
            BootstrapBridge.inject(inst);
            Method install = isolated.loadClass(INSTALLER)
                    .getMethod("install", String.class, Instrumentation.class, Path.class, boolean.class);
            install.invoke(null, agentArgs, inst, jar, premain);
        } catch (InvocationTargetException e) {
            refuse(err, describe(e.getCause()), e.getCause(), premain);
        } catch (Throwable t) {
            refuse(err, describe(t), t, premain);
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.toString() : message;
    }

    /**
     * The agent could not start at all (not a policy problem: those are handled by the installer).
     * Started with {@code -javaagent} the user asked for protection the JVM cannot get, so it stops;
     * attached to a running JVM it leaves the host alone.
     */
    private static void refuse(PrintStream err, String reason, Throwable cause, boolean premain) {
        err.println("moat: FATAL: the Moat agent could not start: " + reason);
        if (!(cause instanceof IllegalStateException)) {
            cause.printStackTrace(err);
        }
        if (premain) {
            err.println("moat: refusing to run this JVM unprotected (exit status " + EXIT_CONFIG + ")");
            err.flush();
            System.exit(EXIT_CONFIG);
        } else {
            err.println("moat: the running JVM was left as it was, NOT protected");
        }
    }

    /**
     * The jar this class was loaded from, which must be the agent jar itself. If the class comes from
     * anywhere else, the agent was bundled into an application jar (its copy shadows the real one on
     * the class path) or run from a directory: both are refused.
     */
    static Path ownJar() {
        CodeSource source = MoatLauncher.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell which jar the Moat agent was loaded from");
        }
        Path location;
        try {
            location = Paths.get(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the Moat agent was loaded from " + source.getLocation()
                    + ", which is not a jar file; attach moat-agent.jar itself");
        }
        if (!Files.isRegularFile(location)) {
            throw new IllegalStateException("the Moat agent was loaded from " + location
                    + ", which is not a jar file; attach moat-agent.jar itself");
        }
        try (JarFile jar = new JarFile(location.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            Attributes main = manifest == null ? null : manifest.getMainAttributes();
            if (main == null || !"true".equals(main.getValue(MARKER_ATTRIBUTE))) {
                throw new IllegalStateException("the Moat agent classes were found bundled inside " + location
                        + ", which is not moat-agent.jar; Moat must be attached as its own jar"
                        + " (-javaagent:/path/to/moat-agent.jar), never repackaged into an application jar");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent jar " + location + ": " + e.getMessage());
        }
        return location;
    }
}
