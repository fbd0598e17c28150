package dev.moat.core.policy;

/**
 * A policy file that cannot be used. The message always starts with where the problem is:
 * {@code moat.yaml:12:7: files.allow[0].access[1]: unknown access kind 'exec' (expected one of: ...)}.
 *
 * <p>Parts that do not apply are left out: a missing file has no line ({@code moat.yaml: no such
 * file}), a problem with the whole document has no key path ({@code moat.yaml:1:1: the policy must
 * be a map ...}). The loader stops at the first problem it finds, reading the file top to bottom.
 */
public final class PolicyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String keyPath;
    private final String problem;

    /**
     * @param source  the file name as given (or the source name passed to {@link PolicyLoader#parse})
     * @param line    1-based line, or 0 when the problem has no position
     * @param column  1-based column, or 0 when the problem has no position
     * @param keyPath the key path such as {@code files.allow[0].access[1]}, or "" for the whole document
     * @param problem what is wrong, without the location prefix
     */
    public PolicyException(String source, int line, int column, String keyPath, String problem) {
        this(source, line, column, keyPath, problem, null);
    }

    /** As {@link #PolicyException(String, int, int, String, String)}, keeping the underlying cause. */
    public PolicyException(String source, int line, int column, String keyPath, String problem, Throwable cause) {
        super(format(source, line, column, keyPath, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.keyPath = keyPath == null ? "" : keyPath;
        this.problem = problem;
    }

    private static String format(String source, int line, int column, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(keyPath).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The file name as given, or the source name passed to {@link PolicyLoader#parse}. */
    public String source() {
        return source;
    }

    /** 1-based line of the offending token, 0 when there is none (missing or unreadable file). */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token, 0 when there is none. */
    public int column() {
        return column;
    }

    /** Key path of the offending value ({@code tools.read_file.args.path.type}), "" for the document. */
    public String keyPath() {
        return keyPath;
    }

    /** The problem alone, without file, position and key path. */
    public String problem() {
        return problem;
    }
}
