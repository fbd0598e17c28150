package dev.moat.core.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends audit lines to a file, creating it and its parent folders on first use. */
public final class FileAuditSink implements AuditSink {

    private final Path file;
    private final BufferedWriter out;

    /** Opens (creates or appends to) {@code file}. */
    public FileAuditSink(Path file) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        Path parent = this.file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(this.file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    @Override
    public void write(String jsonLine) throws IOException {
        out.write(jsonLine);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public String describe() {
        return "file:" + file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
