package dev.moat.core.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a policy file (YAML or JSON, same model) into a compiled {@link Policy}.
 *
 * <p>The format is chosen by extension ({@code .json}; {@code .yaml}/{@code .yml}), otherwise by
 * content (JSON when the text starts with '{'). Reading stops at the first problem, which is
 * reported as a {@link PolicyException} naming the file, line:column and key path. Paths in the
 * policy expand {@code ~/}, {@code ${user.home}} and {@code ${user.dir}} against the environment
 * given (by default the running JVM's).
 */
public final class PolicyLoader {

    /** Policy files larger than this are refused. */
    public static final int MAX_BYTES = 1 << 20;

    private PolicyLoader() {
    }

    /** Loads {@code file}, expanding paths against {@link PolicyEnvironment#current()}. */
    public static Policy load(Path file) throws PolicyException {
        return load(file, PolicyEnvironment.current());
    }

    /** Loads {@code file}, expanding paths against {@code env}. The source name is {@code file} as given. */
    public static Policy load(Path file, PolicyEnvironment env) throws PolicyException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        String source = file.toString();
        return parse(read(file, source), source, env);
    }

    /** Parses {@code text}; {@code sourceName} is used in messages and to pick the format. */
    public static Policy parse(String text, String sourceName) throws PolicyException {
        return parse(text, sourceName, PolicyEnvironment.current());
    }

    /** As {@link #parse(String, String)}, expanding paths against {@code env}. */
    public static Policy parse(String text, String sourceName, PolicyEnvironment env) throws PolicyException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(env, "env");
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.isBlank()) {
            throw new PolicyException(sourceName, 0, 0, "", "empty policy file (a policy needs at least 'version: 1')");
        }
        Node root = TreeReader.read(body, TreeReader.detect(sourceName, body), sourceName);
        return PolicyMapper.map(root, sourceName, env);
    }

    private static String read(Path file, String source) throws PolicyException {
        if (Files.isDirectory(file)) {
            throw new PolicyException(source, 0, 0, "", "is a directory, not a policy file");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new PolicyException(source, 0, 0, "", "no such file (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw new PolicyException(source, 0, 0, "", "is a broken symbolic link");
        }
        if (!Files.isRegularFile(file)) {
            throw new PolicyException(source, 0, 0, "", "is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new PolicyException(source, 0, 0, "", "no such file", e);
        } catch (AccessDeniedException e) {
            throw new PolicyException(source, 0, 0, "", "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new PolicyException(source, 0, 0, "", "cannot read: " + e, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new PolicyException(source, 0, 0, "", "larger than " + MAX_BYTES + " bytes: not a policy file?");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(source, 0, 0, "", "not valid UTF-8 text", e);
        }
    }
}
