package dev.moat.agent;

import dev.moat.bridge.MoatBridge;
import dev.moat.core.audit.AuditEvent;
import dev.moat.core.audit.AuditLog;
import dev.moat.core.audit.Redactor;
import dev.moat.core.config.AgentOption;
import dev.moat.core.config.AgentOptions;
import dev.moat.core.config.OptionException;
import dev.moat.core.policy.AuditConfig;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyException;
import dev.moat.core.enforce.Enforcement;
import dev.moat.core.toolcall.ToolCallGuard;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Starts the agent inside its isolated class loader: reads the options and the policy, opens the
 * audit trail, installs the hooks and prints the banner. A policy that cannot be used stops the JVM
 * (fail closed) unless {@code failOpen=true} was given, in which case the JVM runs and the agent
 * says, on standard error and in the audit trail, that it protects nothing.
 */
public final class AgentInstaller {

    /** Exit status when the agent refuses to let the JVM start unprotected (EX_CONFIG). */
    static final int EXIT_CONFIG = 78;

    /**
     * Byte Buddy probes {@code sun.misc.Unsafe} for class injection when it initialises, which makes
     * JDK 24+ print a deprecation warning on the host's stderr. Moat injects no classes through Byte
     * Buddy, so it runs it in safe mode. The build relocates this name with the library, so it only
     * concerns the agent's private copy.
     */
    private static final String BYTE_BUDDY_SAFE = "net.bytebuddy.safe";

    private AgentInstaller() {
    }

    /** Called reflectively by the launcher. */
    public static void install(String agentArgs, Instrumentation inst, Path agentJar, boolean premain) {
        long start = System.nanoTime();
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        String version = version();
        if (System.getProperty(BYTE_BUDDY_SAFE) == null) {
            System.setProperty(BYTE_BUDDY_SAFE, "true");
        }

        AgentOptions options;
        try {
            options = AgentOptions.resolve(agentArgs, systemProperties(), System.getenv());
        } catch (OptionException e) {
            refuse(err, premain, "bad Moat option: " + e.getMessage());
            return;
        }

        Policy policy;
        String policySource;
        try {
            policy = options.loadPolicy();
            policySource = options.setting(AgentOption.POLICY).map(AgentOptions.Setting::describe)
                    .orElse("built-in default policy (no policy file: see first, then restrict)");
        } catch (PolicyException e) {
            if (options.failOpen().orElse(false)) {
                runUnprotected(err, version, options, "policy error: " + e.getMessage());
            } else {
                refuse(err, premain, "policy error: " + e.getMessage());
            }
            return;
        }

        long policyLoaded = System.nanoTime();
        try {
            start(inst, agentJar, policy, policySource, options, err, version, start, policyLoaded);
        } catch (Throwable t) {
            String reason = "the agent failed to start: " + t;
            if (policy.failOpen()) {
                runUnprotected(err, version, options, reason);
            } else {
                refuse(err, premain, reason);
            }
        }
    }

    private static void start(Instrumentation inst, Path agentJar, Policy policy, String policySource, AgentOptions options,
                              PrintStream err, String version, long start, long policyLoaded) throws Exception {
        AuditLog audit = openAudit(policy, err, version);
        long auditOpened = System.nanoTime();
        Redactor redactor = new Redactor(policy.audit().redactKeys());
        List<Hook> hooks = Hooks.all();
        HookContext context = new HookContext(
                Enforcement.of(policy, audit, redactor, agentJar, err), ToolCallGuard.of(policy), redactor, audit, err, inst);
        Dispatcher dispatcher = new Dispatcher(hooks, context);
        dispatcher.prepare();
        MoatBridge.install(dispatcher);
        HookStatus status = HookInstaller.install(inst, AgentInstaller.class.getClassLoader(), hooks,
                (hookId, typeName) -> lateHook(err, audit, hookId, typeName));
        long hooksInstalled = System.nanoTime();
        long millis = (hooksInstalled - start) / 1_000_000;
        for (String line : Banner.lines(version, policy.mode().keyword(), policySource, audit.describeSinks(),
                hooks, status, millis)) {
            err.println(line);
        }
        for (String warning : options.warnings()) {
            err.println("moat: note: " + warning);
        }

        Map<String, String> hookStates = new LinkedHashMap<>();
        for (Hook hook : hooks) {
            hookStates.put(hook.id(), Banner.describe(hook, status));
        }
        audit.record(AuditEvent.of("agent-start", "configuration").put("event.outcome", "success")
                .put("moat.mode", policy.mode().keyword()).put("moat.policy", policySource)
                .put("moat.options", options.describe()).put("moat.startup.ms", millis)
                .put("moat.startup.phases.ms", Map.of("options-and-policy", (policyLoaded - start) / 1_000_000,
                        "audit", (auditOpened - policyLoaded) / 1_000_000,
                        "hooks", (hooksInstalled - auditOpened) / 1_000_000))
                .put("process.pid", ProcessHandle.current().pid()).put("moat.hooks", hookStates));
        Thread flusher = new Thread(() -> {
            dispatcher.onShutdown();
            audit.close(2_000);
        }, "moat-shutdown");
        flusher.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(flusher);
    }

    private static void lateHook(PrintStream err, AuditLog audit, String hookId, String typeName) {
        boolean failed = typeName.startsWith("FAILED ");
        err.println("moat: hook " + hookId + (failed ? ": " + typeName + " -- NOT PROTECTED" : ": applied to " + typeName));
        audit.record(AuditEvent.of(failed ? "hook-failed" : "hook-applied", "configuration")
                .put("event.outcome", failed ? "failure" : "success").put("moat.hook", hookId)
                .put("moat.hook.type", typeName));
    }

    private static AuditLog openAudit(Policy policy, PrintStream err, String version) throws IOException {
        return AuditLog.open(policy.audit(), version, err);
    }

    /** failOpen: the JVM runs, unprotected, and says so on stderr and in the audit trail. */
    private static void runUnprotected(PrintStream err, String version, AgentOptions options, String reason) {
        Banner.unprotected(version, reason).forEach(err::println);
        AuditLog audit;
        try {
            AuditConfig sinks = AuditConfig.absent();
            if (options.auditFile().isPresent()) {
                sinks = sinks.withAdditionalFile(options.auditFile().get());
            }
            audit = AuditLog.open(sinks, version, err);
        } catch (IOException | RuntimeException e) {
            err.println("moat: cannot open the audit trail: " + e.getMessage());
            try {
                audit = AuditLog.open(AuditConfig.absent(), version, err);
            } catch (IOException | RuntimeException again) {
                return;
            }
        }
        audit.record(AuditEvent.of("agent-unprotected", "configuration").put("event.outcome", "failure")
                .put("moat.failOpen", Boolean.TRUE).put("message", "Moat is NOT protecting this JVM: " + reason));
        audit.close(2_000);
    }

    private static void refuse(PrintStream err, boolean premain, String reason) {
        err.println("moat: FATAL: " + reason);
        if (premain) {
            err.println("moat: refusing to start the JVM unprotected (set failOpen=true to run it unprotected"
                    + " instead); exit status " + EXIT_CONFIG);
            err.flush();
            System.exit(EXIT_CONFIG);
        }
        err.println("moat: the running JVM was left as it was, NOT protected");
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> out = new HashMap<>();
        Properties props = System.getProperties();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("moat.")) {
                out.put(name, props.getProperty(name));
            }
        }
        return out;
    }

    /** The agent's version, from the build. */
    static String version() {
        try (InputStream in = AgentInstaller.class.getResourceAsStream("moat.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
