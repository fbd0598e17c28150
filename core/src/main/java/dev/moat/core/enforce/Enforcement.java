package dev.moat.core.enforce;

import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.files.JvmNeeds;
import dev.moat.core.policy.Mode;
import dev.moat.core.policy.Policy;
import dev.moat.core.process.ProcessGuard;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the enforcement hooks decide with, one small API per kind of resource: {@link #files()},
 * {@link #processes()} (and next network and native code). Built once at start, before the hooks go live,
 * with every rule compiled and every code path run once ({@link #warmUp()}).
 */
public final class Enforcement {

    private static final int MAX_REPORTED_FAILURES = 10;

    private final boolean enforce;
    private final FileGate files;
    private final ProcessGate processes;
    private final AuditLog audit;
    private final PrintStream diagnostics;
    private final AtomicLong failures = new AtomicLong();

    private Enforcement(boolean enforce, FileGate files, ProcessGate processes, AuditLog audit,
                        PrintStream diagnostics) {
        this.enforce = enforce;
        this.files = files;
        this.processes = processes;
        this.audit = audit;
        this.diagnostics = diagnostics;
    }

    /**
     * The enforcement of {@code policy} in this JVM.
     *
     * @param agentJar    the agent's own jar (always readable), or null
     * @param diagnostics where failures are reported besides the audit trail (standard error)
     */
    public static Enforcement of(Policy policy, AuditLog audit, Redactor redactor, Path agentJar,
                                 PrintStream diagnostics) {
        return new Enforcement(policy.mode() == Mode.ENFORCE,
                new FileGate(policy, JvmNeeds.current(agentJar), audit::record),
                new ProcessGate(ProcessGuard.of(policy), redactor, audit::record), audit, diagnostics);
    }

    /** Files. */
    public FileGate files() {
        return files;
    }

    /** Processes. */
    public ProcessGate processes() {
        return processes;
    }

    /** Whether denials take effect (false in monitor mode). */
    public boolean enforcing() {
        return enforce;
    }

    /** Runs every decision path once, recording nothing, so no hook path loads a class later. */
    public void warmUp() {
        files.warmUp();
    }

    /** Runs {@code work} (a hook's warm-up through the gates) on this thread with nothing recorded. */
    public void dryRun(Runnable work) {
        files.dryRun(work);
    }

    /**
     * A check itself failed (a bug, or a JVM error such as a stack overflow in the host's deep
     * recursion): counted, reported (the first few on standard error and as {@code check-failure}
     * events), and decided closed in enforce mode.
     *
     * @return the {@link SecurityException} the hook throws instead (enforce mode), or null
     */
    public Object checkFailed(String hook, String method, Throwable t) {
        long n = failures.incrementAndGet();
        if (n <= MAX_REPORTED_FAILURES) {
            try {
                diagnostics.println("moat: ERROR: check of " + hook + " (" + method + ") failed (" + n + "): " + t);
                audit.record(AuditEvent.of("check-failure", "configuration").put("event.outcome", "failure")
                        .put("moat.hook", hook).put("moat.hook.method", method)
                        .put("error.message", String.valueOf(t)).put("moat.check.failures", n));
            } catch (Throwable ignored) {
                // the count is the record of last resort
            }
        }
        return enforce ? new SecurityException("Moat could not decide on " + method + " (" + t + ")") : null;
    }

    /** Failed checks since start. */
    public long failures() {
        return failures.get();
    }
}
