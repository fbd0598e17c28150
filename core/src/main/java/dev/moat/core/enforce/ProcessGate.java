package dev.moat.core.enforce;

import dev.moat.core.audit.AuditEvent;
import java.util.function.Consumer;
import dev.moat.core.audit.Redactor;
import dev.moat.core.context.ToolCallContext;
import dev.moat.core.context.Touch;
import dev.moat.core.decision.Decision;
import dev.moat.core.process.ProcessGuard;
import java.io.IOException;

/**
 * Processes: the core API of the process-start hook. Decides a start ({@link ProcessGuard}), adds it
 * to the current tool call's touches, records one {@link EnforcementEvent} {@code process-start} (every
 * start, allowed or not: starts are rare and always worth a line) with {@code process.executable},
 * {@code process.command_line} (redacted) and {@code process.working_directory}, and answers with the
 * exception the hook throws instead of starting, or null.
 */
public final class ProcessGate {

    private final ProcessGuard guard;
    private final Redactor redactor;
    private final Consumer<AuditEvent> audit;

    public ProcessGate(ProcessGuard guard, Redactor redactor, Consumer<AuditEvent> audit) {
        this.guard = guard;
        this.redactor = redactor;
        this.audit = audit;
    }

    /**
     * A process is about to start: the command line and working directory as given to the JDK.
     *
     * @return null to let it start, or the {@link IOException} to fail the start with (as a program that
     *         cannot be run would), naming the command and the rule
     */
    public IOException start(String[] command, String directory) {
        String commandLine = command == null ? null : String.join(" ", command);
        String redacted = String.valueOf(commandLine == null ? null : redactor.redact(commandLine));
        ToolCallContext call = ToolCallContext.current();
        Decision decision = guard.decide(command, directory, call != null);
        Touch touch = new Touch(Touch.PROCESS, "start", redacted, decision);
        if (call != null) {
            call.touched(touch);
        }
        audit.accept(EnforcementEvent.of("process-start", "process", touch, call)
                .put("process.executable", command == null || command.length == 0 ? null : command[0])
                .put("process.command_line", commandLine == null ? null : redacted)
                .put("process.working_directory", directory));
        if (decision.blocks()) {
            return Denials.trimmed(new IOException("Moat denied starting '" + redacted + "' (rule "
                    + decision.ruleId() + "): " + decision.reason()));
        }
        return null;
    }
}
