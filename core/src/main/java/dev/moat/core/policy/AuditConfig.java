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
 * @param rotation   when the files rotate and how many rotated files are kept
 * @param stderr     also write events to standard error; when the policy does not say, true
 *                   exactly when no other sink is configured
 * @param syslog     RFC 5424 syslog over TCP
 * @param tcp        JSON lines over TCP to a collector
 * @param appLogger  also log through the application's SLF4J as {@code mcp.audit}
 * @param redactKeys argument/field names whose values are replaced by a redaction marker
 *                   (case-insensitive; default {@link BuiltInDefaults#REDACT_KEYS})
 */
public record AuditConfig(boolean declared, List<Path> files, Rotation rotation, boolean stderr,
                          Optional<Endpoint> syslog, Optional<Endpoint> tcp, boolean appLogger,
                          List<String> redactKeys) {

    public AuditConfig {
        files = List.copyOf(files);
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(syslog, "syslog");
        Objects.requireNonNull(tcp, "tcp");
        redactKeys = List.copyOf(redactKeys);
    }

    /**
     * Size-based rotation of the audit files ({@code audit.rotation}): when the active file reaches
     * {@code maxFileSize} bytes it is renamed to {@code FILE.1} (older ones shift to {@code FILE.2} ...)
     * and a new file is started; at most {@code maxFiles} rotated files are kept.
     *
     * @param maxFileSize bytes, at least {@value #MIN_FILE_SIZE}
     * @param maxFiles    rotated files kept besides the active one, 1 to {@value #MAX_FILES}
     */
    public record Rotation(long maxFileSize, int maxFiles) {

        /** 100 MB. */
        public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;
        /** Ten rotated files. */
        public static final int DEFAULT_MAX_FILES = 10;
        /** The smallest file size accepted: 1 KB. */
        public static final long MIN_FILE_SIZE = 1024;
        /** The most rotated files kept (logback's fixed-window limit). */
        public static final int MAX_FILES = 20;
        /** 100 MB x 10 files. */
        public static final Rotation DEFAULT = new Rotation(DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILES);

        public Rotation {
            if (maxFileSize < MIN_FILE_SIZE) {
                throw new IllegalArgumentException("maxFileSize below " + MIN_FILE_SIZE + " bytes: " + maxFileSize);
            }
            if (maxFiles < 1 || maxFiles > MAX_FILES) {
                throw new IllegalArgumentException("maxFiles out of range (1 to " + MAX_FILES + "): " + maxFiles);
            }
        }

        @Override
        public String toString() {
            return describeSize(maxFileSize) + ", " + maxFiles + " kept";
        }

        /** {@code 100MB}, {@code 512KB}, {@code 1500B}. */
        public static String describeSize(long bytes) {
            if (bytes % (1024L * 1024 * 1024) == 0) {
                return bytes / (1024L * 1024 * 1024) + "GB";
            }
            if (bytes % (1024L * 1024) == 0) {
                return bytes / (1024L * 1024) + "MB";
            }
            if (bytes % 1024 == 0) {
                return bytes / 1024 + "KB";
            }
            return bytes + "B";
        }
    }

    /** The audit settings with no audit section: events to stderr, default redaction. */
    public static AuditConfig absent() {
        return new AuditConfig(false, List.of(), Rotation.DEFAULT, true, Optional.empty(), Optional.empty(), false,
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
        return new AuditConfig(declared, more, rotation, stderr, syslog, tcp, appLogger, redactKeys);
    }

    /** Whether at least one sink is configured. */
    public boolean hasSink() {
        return !files.isEmpty() || stderr || syslog.isPresent() || tcp.isPresent() || appLogger;
    }
}
