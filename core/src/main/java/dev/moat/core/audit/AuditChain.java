package dev.moat.core.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The hash chain that makes the audit trail tamper-evident.
 *
 * <h2>Definition</h2>
 * Every audit line is one JSON object, UTF-8, terminated by {@code \n}. Its last three members, in
 * this order, are written by the audit writer:
 * <pre>
 *   ..., "event.sequence": S, "moat.prev": "P", "moat.hash": "H"}
 * </pre>
 * <ul>
 *   <li>{@code event.sequence} S: 1 for the first event an agent run writes, then +1 per event, with no
 *       gaps (an event that could not be serialised does not consume a number).</li>
 *   <li>{@code moat.prev} P: the {@code moat.hash} of the event before it in the same log. For the
 *       first event of a run (S = 1) it is the run's <em>genesis</em> value: the {@code moat.hash} of the
 *       last event already in the audit file the run appends to (so that runs appending to one file form
 *       one chain), or 32 random bytes when there is none.</li>
 *   <li>{@code moat.hash} H: lowercase hex SHA-256 of the exact UTF-8 bytes of the event's JSON object
 *       <em>without</em> its {@code moat.hash} member. Concretely, a line of L bytes (without the
 *       {@code \n}) ends with the {@value #SUFFIX_LENGTH}-byte text {@code ,"moat.hash":"H"} and the
 *       closing brace; H is computed over the line with that text removed:
 *       <pre>H = hex(SHA-256(the first L-80 bytes of the line, then the byte '}'))</pre>
 *       No canonicalisation is involved: the bytes written are the bytes hashed, so anyone can check a
 *       line with standard tools.</li>
 * </ul>
 * Editing any byte of an event changes its hash; deleting, inserting or moving an event breaks the
 * {@code moat.prev} links and the sequence. {@link AuditVerifier} checks all of it.
 *
 * <h2>What it does not do</h2>
 * The chain has no secret: someone who can rewrite the file can recompute every hash after the
 * point they change. Tamper evidence against such an adversary comes from a copy they cannot reach —
 * the syslog or TCP sink, which carries the same lines and hashes — and comparing a local file with it.
 * Deleting events at the very end of the newest file leaves no trace until the next event is written.
 */
public final class AuditChain {

    /** The hash member. */
    public static final String HASH_FIELD = "moat.hash";
    /** The link to the previous event. */
    public static final String PREV_FIELD = "moat.prev";
    /** The position in the run. */
    public static final String SEQUENCE_FIELD = "event.sequence";
    /** Hex digits in a hash. */
    public static final int HASH_HEX_LENGTH = 64;

    static final byte[] HASH_PREFIX = (",\"" + HASH_FIELD + "\":\"").getBytes(StandardCharsets.US_ASCII);
    /** Length of {@code ,"moat.hash":"<64 hex>"}, the text inserted before the closing brace. */
    public static final int SUFFIX_LENGTH = 14 + HASH_HEX_LENGTH + 1;

    private static final HexFormat HEX = HexFormat.of();
    private static final int TAIL_WINDOW = 256 * 1024;

    private final MessageDigest sha256;
    private String previous;

    /** A chain whose first event links to {@code genesis} (64 lowercase hex digits). */
    AuditChain(String genesis) {
        if (!isHash(genesis)) {
            throw new IllegalArgumentException("genesis must be 64 lowercase hex digits: " + genesis);
        }
        this.sha256 = newDigest();
        this.previous = genesis;
    }

    /** The hash the next event links to. */
    String previous() {
        return previous;
    }

    /**
     * Seals one event: {@code body[0..length)} is its JSON object without {@code moat.hash} (ending in
     * {@code }}, with {@code moat.prev} equal to {@link #previous()}). Returns the complete line with the
     * hash member and a trailing {@code \n}, and advances the chain.
     */
    byte[] seal(byte[] body, int length) {
        if (length < 2 || body[0] != '{' || body[length - 1] != '}') {
            throw new IllegalArgumentException("not a JSON object");
        }
        sha256.reset();
        sha256.update(body, 0, length);
        String hash = HEX.formatHex(sha256.digest());
        byte[] line = Arrays.copyOf(body, length + SUFFIX_LENGTH + 1);
        int at = length - 1;
        System.arraycopy(HASH_PREFIX, 0, line, at, HASH_PREFIX.length);
        at += HASH_PREFIX.length;
        for (int i = 0; i < HASH_HEX_LENGTH; i++) {
            line[at++] = (byte) hash.charAt(i);
        }
        line[at++] = '"';
        line[at++] = '}';
        line[at] = '\n';
        previous = hash;
        return line;
    }

    /** The hash a sealed line (without {@code \n}) should carry, computed from its bytes; null if it has no hash suffix. */
    static String expectedHash(byte[] line, int length, MessageDigest sha256) {
        if (!hasHashSuffix(line, length)) {
            return null;
        }
        int bodyEnd = length - 1 - SUFFIX_LENGTH;
        sha256.reset();
        sha256.update(line, 0, bodyEnd);
        sha256.update((byte) '}');
        return HEX.formatHex(sha256.digest());
    }

    /** The hash written in the suffix of a line, or null. */
    static String writtenHash(byte[] line, int length) {
        if (!hasHashSuffix(line, length)) {
            return null;
        }
        int start = length - 2 - HASH_HEX_LENGTH;
        return new String(line, start, HASH_HEX_LENGTH, StandardCharsets.US_ASCII);
    }

    static boolean hasHashSuffix(byte[] line, int length) {
        if (length < SUFFIX_LENGTH + 2 || line[length - 1] != '}' || line[length - 2] != '"') {
            return false;
        }
        int prefixAt = length - 1 - SUFFIX_LENGTH;
        for (int i = 0; i < HASH_PREFIX.length; i++) {
            if (line[prefixAt + i] != HASH_PREFIX[i]) {
                return false;
            }
        }
        for (int i = length - 2 - HASH_HEX_LENGTH; i < length - 2; i++) {
            byte b = line[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** 64 lowercase hex digits. */
    static boolean isHash(String s) {
        if (s == null || s.length() != HASH_HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** 32 random bytes as hex: the genesis of a log that continues nothing. */
    static String randomGenesis() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return HEX.formatHex(seed);
    }

    /**
     * The {@code moat.hash} of the last event in an audit file, to continue its chain: the active file,
     * or, when it is empty or missing, its newest rotated file ({@code FILE.1}). Empty when there is no
     * such file or its last line is not a sealed event (for example cut short by a crash: the verifier
     * reports that line, and the new run starts a fresh chain).
     */
    public static Optional<String> tail(Path file) {
        try {
            Optional<String> own = lastHash(file);
            if (own.isPresent() || (Files.isRegularFile(file) && Files.size(file) > 0)) {
                return own;
            }
            return lastHash(file.resolveSibling(file.getFileName() + ".1"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> lastHash(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (size == 0) {
                return Optional.empty();
            }
            int window = (int) Math.min(size, TAIL_WINDOW);
            byte[] buf = new byte[window];
            in.seek(size - window);
            in.readFully(buf);
            int end = window;
            if (buf[end - 1] != '\n') {
                return Optional.empty();
            }
            end--;
            int start = end;
            while (start > 0 && buf[start - 1] != '\n') {
                start--;
            }
            byte[] line = Arrays.copyOfRange(buf, start, end);
            String written = writtenHash(line, line.length);
            if (written == null || !written.equals(expectedHash(line, line.length, newDigest()))) {
                return Optional.empty();
            }
            return Optional.of(written);
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
