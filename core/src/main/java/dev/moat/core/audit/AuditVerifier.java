package dev.moat.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an audit log against its hash chain ({@link AuditChain}) and names the first event that is
 * broken, missing or out of place, with its file, line number and sequence number.
 *
 * <p>Files are read in the order given (oldest first: {@code audit.jsonl.3 audit.jsonl.2 audit.jsonl.1
 * audit.jsonl}), as one continuous chain. Every line must be a complete JSON object whose
 * {@code moat.hash} is its last member and matches its bytes; each event's {@code moat.prev} must be
 * the hash of the line before it and its {@code event.sequence} one more than that line's. A new agent
 * run appending to the same file restarts at sequence 1 and links to the last event before it. The
 * first event must be sequence 1 unless {@code partial} is set (older rotated files were deleted).
 */
public final class AuditVerifier {

    /** How far to look ahead for a missing sequence number to tell "moved" from "deleted". */
    private static final int LOOKAHEAD_LINES = 200_000;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The kinds of problem, in the words the report uses. */
    public enum Kind {
        /** The line is cut short. */
        TRUNCATED,
        /** The line is not a JSON object, or has a duplicate member. */
        MALFORMED,
        /** The line is JSON but carries no chain fields. */
        NOT_SEALED,
        /** The content does not match the hash. */
        EDITED,
        /** Sequence numbers are skipped. */
        MISSING,
        /** A sequence number appears before its turn. */
        REORDERED,
        /** A sequence number appears again, or goes back. */
        DUPLICATED,
        /** moat.prev does not match the event before. */
        CHAIN_BROKEN,
        /** The log does not begin at the beginning of a chain. */
        INCOMPLETE,
        /** No events at all. */
        EMPTY
    }

    /** The first problem found. */
    public record Problem(Kind kind, Path file, long line, Long sequence, String detail) {
        /** {@code FILE:LINE (event.sequence S): KIND: detail}. */
        public String describe() {
            return (file == null ? "" : file + (line > 0 ? ":" + line : "") + " ")
                    + (sequence == null ? "" : "(event.sequence " + sequence + ") ")
                    + kind + ": " + detail;
        }
    }

    /** The outcome of a verification. */
    public record Report(boolean intact, long events, int runs, long firstSequence, long lastSequence, int files,
                         List<String> notes, Problem problem) {
        /** One line for a person. */
        public String summary() {
            if (!intact) {
                return "BROKEN: " + problem.describe();
            }
            return "OK: " + events + " event" + (events == 1 ? "" : "s") + " in " + files + " file"
                    + (files == 1 ? "" : "s") + ", hash chain intact ("
                    + (runs > 1 ? runs + " agent runs; event.sequence 1 to " + lastSequence + " in the last)"
                    : "event.sequence " + firstSequence + " to " + lastSequence + ")");
        }
    }

    private record Line(Path file, long number, byte[] bytes, boolean terminated) {
    }

    private record Fields(long sequence, String prev, String hash) {
    }

    private record Position(long bytes, long lines) {
    }

    private final List<Path> files;
    private final boolean partial;
    private final MessageDigest sha256 = AuditChain.newDigest();

    private AuditVerifier(List<Path> files, boolean partial) {
        this.files = List.copyOf(files);
        this.partial = partial;
    }

    /**
     * Verifies {@code files}, oldest first, as one chain.
     *
     * @param partial accept a log whose first event is not sequence 1 (its older files are gone)
     * @throws IOException when a file cannot be read
     */
    public static Report verify(List<Path> files, boolean partial) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to verify");
        }
        return new AuditVerifier(files, partial).run();
    }

    /**
     * {@code file}'s rotated siblings that exist, oldest first ({@code FILE.N} ... {@code FILE.1}),
     * followed by {@code file} itself.
     */
    public static List<Path> withRotated(Path file) {
        List<Path> out = new ArrayList<>();
        for (int i = dev.moat.core.policy.AuditConfig.Rotation.MAX_FILES; i >= 1; i--) {
            Path rotated = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.isRegularFile(rotated)) {
                out.add(rotated);
            }
        }
        out.add(file);
        return out;
    }

    private Report run() throws IOException {
        List<String> notes = new ArrayList<>();
        long events = 0;
        int runs = 0;
        long first = 0;
        long expected = 0;
        String prevHash = null;
        Line prevLine = null;
        for (int f = 0; f < files.size(); f++) {
            try (LineReader reader = new LineReader(files.get(f))) {
                Line line;
                while ((line = reader.next()) != null) {
                    Fields fields;
                    try {
                        fields = check(line);
                    } catch (Failure failure) {
                        return broken(events, runs, first, expected - 1, notes, failure.problem);
                    }
                    long seq = fields.sequence;
                    Problem problem = null;
                    if (prevLine == null) {
                        if (seq != 1 && !partial) {
                            problem = problem(Kind.INCOMPLETE, line, seq, "the log starts at event.sequence " + seq
                                    + ", not 1: earlier events are missing. Give the rotated files too, oldest first"
                                    + " (--rotated), or --partial if rotation has deleted them");
                        } else {
                            if (seq != 1) {
                                notes.add("the log starts at event.sequence " + seq + " (--partial): events before"
                                        + " it were not checked");
                            }
                            runs = 1;
                            first = seq;
                        }
                    } else if (seq == expected) {
                        if (!fields.prev.equals(prevHash)) {
                            problem = problem(Kind.CHAIN_BROKEN, line, seq, "its moat.prev is not the moat.hash of the"
                                    + " event before it (" + where(prevLine) + "): an event before it was replaced,"
                                    + " or events were inserted or deleted");
                        }
                    } else if (seq == 1) {
                        if (fields.prev.equals(prevHash)) {
                            runs++;
                        } else {
                            problem = problem(Kind.CHAIN_BROKEN, line, seq, "a new agent run starts here but does not"
                                    + " continue from the event before it (" + where(prevLine) + "): events at the"
                                    + " end of the previous run were removed, or this part comes from another log");
                        }
                    } else if (seq > expected) {
                        Line later = lookAhead(f, reader.position(), expected);
                        if (later != null) {
                            problem = problem(Kind.REORDERED, line, seq, "expected event.sequence " + expected
                                    + " here; it appears later, at " + where(later) + ": events were moved");
                        } else {
                            problem = problem(Kind.MISSING, line, seq, (seq - expected == 1
                                    ? "event.sequence " + expected + " is missing"
                                    : "event.sequence " + expected + " to " + (seq - 1) + " are missing")
                                    + " (expected " + expected + " after " + where(prevLine) + "): events were deleted");
                        }
                    } else {
                        problem = problem(Kind.DUPLICATED, line, seq, "event.sequence " + seq + " comes again or out of"
                                + " order (expected " + expected + "): an event was copied, inserted or moved here");
                    }
                    if (problem != null) {
                        return broken(events, runs, first, expected - 1, notes, problem);
                    }
                    events++;
                    expected = seq + 1;
                    prevHash = fields.hash;
                    prevLine = line;
                }
            }
        }
        if (events == 0) {
            return broken(0, 0, 0, 0, notes, new Problem(Kind.EMPTY, files.get(files.size() - 1), 0, null,
                    "no audit events in " + (files.size() == 1 ? "the file" : "the files")));
        }
        if (prevLine != null && !prevLine.terminated) {
            notes.add(where(prevLine) + " has no line terminator (the writer stopped while writing it?)");
        }
        return new Report(true, events, runs, first, expected - 1, files.size(), List.copyOf(notes), null);
    }

    private Report broken(long events, int runs, long first, long last, List<String> notes, Problem problem) {
        return new Report(false, events, runs, first, last, files.size(), List.copyOf(notes), problem);
    }

    private static String where(Line line) {
        return line.file.getFileName() + ":" + line.number;
    }

    private static Problem problem(Kind kind, Line line, Long seq, String detail) {
        return new Problem(kind, line.file, line.number, seq, detail);
    }

    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Problem problem;

        Failure(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }

    /** Parses and hash-checks one line. */
    private Fields check(Line line) throws Failure {
        byte[] b = line.bytes;
        if (b.length == 0) {
            throw new Failure(problem(Kind.MALFORMED, line, null, "empty line: something was inserted here"));
        }
        Fields fields = parse(line);
        String written = AuditChain.writtenHash(b, b.length);
        if (written == null || !written.equals(fields.hash)) {
            throw new Failure(problem(Kind.EDITED, line, fields.sequence, "moat.hash is not the last member of the"
                    + " line: the event was edited or re-serialised"));
        }
        String expected = AuditChain.expectedHash(b, b.length, sha256);
        if (!written.equals(expected)) {
            throw new Failure(problem(Kind.EDITED, line, fields.sequence, "its content does not match its moat.hash:"
                    + " the event was edited"));
        }
        return fields;
    }

    private static Fields parse(Line line) throws Failure {
        Long sequence = null;
        String prev = null;
        String hash = null;
        try (JsonParser p = JSON.createParser(line.bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Failure(problem(Kind.MALFORMED, line, null, "not a JSON object"));
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case AuditChain.SEQUENCE_FIELD -> sequence = v == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? p.getLongValue() : null;
                    case AuditChain.PREV_FIELD -> prev = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case AuditChain.HASH_FIELD -> hash = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new Failure(problem(Kind.MALFORMED, line, sequence, "not a single JSON object"));
            }
        } catch (JsonEOFException e) {
            throw new Failure(problem(Kind.TRUNCATED, line, sequence, "the line is cut short (" + line.bytes.length
                    + " bytes, the JSON object is not complete)"));
        } catch (JsonProcessingException e) {
            throw new Failure(problem(Kind.MALFORMED, line, sequence, "not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new Failure(problem(Kind.MALFORMED, line, sequence, "unreadable: " + e.getMessage()));
        }
        if (sequence == null || sequence < 1 || !AuditChain.isHash(prev) || !AuditChain.isHash(hash)) {
            throw new Failure(problem(Kind.NOT_SEALED, line, sequence, "not a sealed audit event (needs event.sequence,"
                    + " moat.prev and moat.hash): a line was inserted or edited"));
        }
        return new Fields(sequence, prev, hash);
    }

    /** The first line at or after {@code position} in file {@code f} (and the files after it) with {@code sequence}. */
    private Line lookAhead(int f, Position position, long sequence) throws IOException {
        int seen = 0;
        for (int i = f; i < files.size() && seen < LOOKAHEAD_LINES; i++) {
            try (LineReader reader = new LineReader(files.get(i))) {
                if (i == f) {
                    reader.skipTo(position);
                }
                Line line;
                while ((line = reader.next()) != null && seen++ < LOOKAHEAD_LINES) {
                    try {
                        if (parse(line).sequence == sequence) {
                            return line;
                        }
                    } catch (Failure ignored) {
                        // not this one
                    }
                }
            }
        }
        return null;
    }

    /** Splits a file into lines of raw bytes on {@code \n}, counting lines and byte positions. */
    private static final class LineReader implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int end;
        private long number;
        private long position;

        LineReader(Path file) throws IOException {
            this.file = file;
            this.in = Files.newInputStream(file);
        }

        /** Just past the last line returned, for {@link #skipTo}. */
        Position position() {
            return new Position(position, number);
        }

        void skipTo(Position at) throws IOException {
            long skipped = 0;
            while (skipped < at.bytes()) {
                long n = in.skip(at.bytes() - skipped);
                if (n <= 0) {
                    break;
                }
                skipped += n;
            }
            position = skipped;
            number = at.lines();
        }

        Line next() throws IOException {
            ByteArrayOutputStream spill = null;
            while (true) {
                if (pos == end) {
                    end = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return spill == null ? null : new Line(file, ++number, spill.toByteArray(), false);
                    }
                }
                int start = pos;
                while (pos < end && buf[pos] != '\n') {
                    pos++;
                }
                if (pos < end) {
                    int length = pos - start;
                    pos++;
                    position += length + 1;
                    byte[] line;
                    if (spill == null) {
                        line = java.util.Arrays.copyOfRange(buf, start, start + length);
                    } else {
                        spill.write(buf, start, length);
                        line = spill.toByteArray();
                    }
                    return new Line(file, ++number, line, true);
                }
                if (spill == null) {
                    spill = new ByteArrayOutputStream(Math.max(1024, (end - start) * 2));
                }
                spill.write(buf, start, end - start);
                position += end - start;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
