package dev.moat.core.audit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code audit.appLogger: true}: also logs every audit line (its JSON text as the message, level
 * INFO) through the application's own SLF4J, under the logger {@code mcp.audit}, so the events land
 * wherever the application's logging sends its logs.
 *
 * <p>The application's {@code org.slf4j.LoggerFactory} is reached reflectively, from this sink's own
 * thread ({@code moat-audit-app}), never on a hook path, through the class loaders that can see it:
 * loaders offered by the agent ({@link #offerClassLoader}, for example the loader of the MCP SDK),
 * the context class loader of the thread that started the agent (the main thread, which a Spring Boot
 * launcher points at the application's loader), and the system class loader. It is used only once
 * the application has initialised SLF4J itself: Moat never triggers the application's logging
 * initialisation (which would read its configuration before the application had set it up, and could
 * even log to standard output, the stdio transport). Until then lines wait in the sink's bounded queue.
 * If the application has no SLF4J at all, the sink says so once on standard error and discards what it
 * receives; lines still waiting at shutdown because SLF4J was never initialised are counted as lost.
 */
public final class AppLoggerAuditSink extends BackgroundAuditSink<AppLoggerAuditSink.AppLoggerAppender> {

    /** How long to look for SLF4J before saying the application has none. */
    static final long ABSENT_AFTER_MILLIS = 5_000;
    private static final Set<ClassLoader> OFFERED = ConcurrentHashMap.newKeySet();

    private final Thread startingThread = Thread.currentThread();
    private final int capacity;

    /** A sink with room for 20,000 lines while the application's logging is not ready. */
    public AppLoggerAuditSink() {
        this(NetworkAuditSink.DEFAULT_CAPACITY);
    }

    AppLoggerAuditSink(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a class loader that may see the application's SLF4J (the loader of an MCP server's classes). */
    public static void offerClassLoader(ClassLoader loader) {
        if (loader != null && OFFERED.size() < 64) {
            OFFERED.add(loader);
        }
    }

    @Override
    AppLoggerAppender newAppender() {
        return new AppLoggerAppender(capacity, startingThread);
    }

    @Override
    public String describe() {
        return "app-logger:" + AuditLogging.LOGGER_NAME;
    }

    /** The delivering half: resolves the application's SLF4J lazily, on its own thread. */
    static final class AppLoggerAppender extends BackgroundAppender {

        /*
         * The application's class names, built at run time: the agent jar relocates this library's own
         * SLF4J under dev.moat.shaded, and the relocation rewrites string constants that name its classes
         * too. These must keep naming the application's (unrelocated) SLF4J.
         */
        private static final String LOGGER_FACTORY = String.join(".", "org", "slf4j", "LoggerFactory");
        private static final String LOGGER = String.join(".", "org", "slf4j", "Logger");
        private static final int SUCCESSFUL_INITIALIZATION = 3;
        private static final int NOP_FALLBACK_INITIALIZATION = 4;

        private final Thread startingThread;
        private final long startNanos = System.nanoTime();
        private Object logger;
        private Method info;
        private ClassLoader loggerLoader;
        private volatile boolean ready;
        private volatile boolean absent;
        private boolean sawFactory;
        private boolean saidAbsent;
        private long nextLookNanos = System.nanoTime();

        AppLoggerAppender(int capacity, Thread startingThread) {
            super(capacity, "moat-audit-app");
            this.startingThread = startingThread;
        }

        @Override
        protected int deliver(List<ILoggingEvent> batch) {
            while (!ready) {
                if (System.nanoTime() - nextLookNanos >= 0) {
                    resolve();
                    nextLookNanos = System.nanoTime() + 200_000_000L;
                }
                if (ready) {
                    break;
                }
                if (absent) {
                    return batch.size();
                }
                if (!pause(50)) {
                    return 0;
                }
            }
            Thread self = Thread.currentThread();
            ClassLoader before = self.getContextClassLoader();
            self.setContextClassLoader(loggerLoader);
            try {
                for (ILoggingEvent e : batch) {
                    AuditLine line = AuditLine.of(e);
                    info.invoke(logger, line == null ? e.getFormattedMessage() : line.json());
                }
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                diagnostics.println("moat: audit.appLogger: the application's logger failed: " + cause);
                return 0;
            } finally {
                self.setContextClassLoader(before);
            }
            return batch.size();
        }

        private List<ClassLoader> candidates() {
            List<ClassLoader> out = new ArrayList<>(OFFERED);
            ClassLoader main = startingThread.getContextClassLoader();
            if (main != null && !out.contains(main)) {
                out.add(main);
            }
            ClassLoader system = ClassLoader.getSystemClassLoader();
            if (!out.contains(system)) {
                out.add(system);
            }
            return out;
        }

        /** Looks for an initialised application SLF4J; never initialises it. */
        private void resolve() {
            boolean found = false;
            for (ClassLoader loader : candidates()) {
                Class<?> factory;
                try {
                    factory = Class.forName(LOGGER_FACTORY, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                found = true;
                int state = initializationState(factory);
                if (state == SUCCESSFUL_INITIALIZATION || state == NOP_FALLBACK_INITIALIZATION
                        || state < 0 && elapsedMillis() > ABSENT_AFTER_MILLIS) {
                    try {
                        Class<?> loggerType = Class.forName(LOGGER, false, loader);
                        logger = factory.getMethod("getLogger", String.class).invoke(null, AuditLogging.LOGGER_NAME);
                        info = loggerType.getMethod("info", String.class);
                        loggerLoader = loader;
                        ready = true;
                        absent = false;
                        if (state == NOP_FALLBACK_INITIALIZATION) {
                            diagnostics.println("moat: audit.appLogger: the application's SLF4J has no provider (NOP);"
                                    + " it discards the mcp.audit events");
                        }
                        return;
                    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                        diagnostics.println("moat: audit.appLogger: cannot use the application's SLF4J: " + e);
                    }
                }
            }
            sawFactory |= found;
            if (!found && elapsedMillis() > ABSENT_AFTER_MILLIS) {
                absent = true;
                sayAbsent();
            } else {
                absent = false;
            }
        }

        /** SLF4J's own state (1.7 and 2.x: 3 = initialised, 4 = no provider); -1 when unreadable. */
        private static int initializationState(Class<?> factory) {
            try {
                Field f = factory.getDeclaredField("INITIALIZATION_STATE");
                f.setAccessible(true);
                return f.getInt(null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return -1;
            }
        }

        private long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000L;
        }

        private void sayAbsent() {
            if (!saidAbsent) {
                saidAbsent = true;
                diagnostics.println("moat: audit.appLogger: the application has no SLF4J (org.slf4j.LoggerFactory is"
                        + " not visible to its class loaders); mcp.audit events go to the other audit sinks only");
            }
        }

        @Override
        protected boolean deliveryPossible() {
            return ready;
        }

        @Override
        protected void finish() {
            if (!ready) {
                if (!sawFactory) {
                    sayAbsent();
                } else if (lost() > 0) {
                    diagnostics.println("moat: audit.appLogger: the application never initialised SLF4J; "
                            + lost() + " audit events were not passed to its mcp.audit logger");
                }
            }
        }
    }
}
