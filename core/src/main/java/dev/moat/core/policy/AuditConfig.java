package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code audit} section: where audit events go and which argument keys are redacted.
 *
 * @param declared   whether the policy has this section
 * @param files      JSON-lines files (the policy's {@code file}, plus any added by the
 *                   {@code audit.file} agent option)
 * @param stderr     also write events to standard error; when the policy does not say, true
 *                   exactly when no other sink is configured
 * @param syslog     RFC 5424 syslog over TCP
 * @param tcp        JSON lines over TCP to a collector
 * @param appLogger  also log through the application's SLF4J as {@code mcp.audit}
 * @param redactKeys argument/field names whose values are replaced by a redaction marker
 *                   (case-insensitive; default {@link BuiltInDefaults#REDACT_KEYS})
 */
public record AuditConfig(boolean declared, List<Path> files, boolean stderr, Optional<Endpoint> syslog,
                          Optional<Endpoint> tcp, boolean appLogger, List<String> redactKeys) {

    public AuditConfig {
        files = List.copyOf(files);
        Objects.requireNonNull(syslog, "syslog");
        Objects.requireNonNull(tcp, "tcp");
        redactKeys = List.copyOf(redactKeys);
    }

    /** The audit settings with no audit section: events to stderr, default redaction. */
    public static AuditConfig absent() {
        return new AuditConfig(false, List.of(), true, Optional.empty(), Optional.empty(), false,
                BuiltInDefaults.REDACT_KEYS);
    }

    /** A copy with {@code file} added as a further file sink (no-op when already listed). */
    public AuditConfig withAdditionalFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (files.contains(file)) {
            return this;
        }
        List<Path> more = new ArrayList<>(files);
        more.add(file);
        return new AuditConfig(declared, more, stderr, syslog, tcp, appLogger, redactKeys);
    }

    /** Whether at least one sink is configured. */
    public boolean hasSink() {
        return !files.isEmpty() || stderr || syslog.isPresent() || tcp.isPresent() || appLogger;
    }
}
