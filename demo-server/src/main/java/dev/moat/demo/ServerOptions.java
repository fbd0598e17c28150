package dev.moat.demo;

/**
 * The demo server's command line: {@code [--transport stdio|http] [--port N] [--help]}.
 *
 * @param transport how clients connect
 * @param port the HTTP port on 127.0.0.1, 0 to pick a free one (HTTP only)
 * @param help whether {@code --help} was given
 */
public record ServerOptions(Transport transport, int port, boolean help) {

    /** Usage text, printed for {@code --help} and after a command-line error. */
    public static final String USAGE = """
            usage: java -jar moat-demo-server.jar [--transport stdio|http] [--port N]

              --transport stdio   MCP over stdin/stdout (default)
              --transport http    MCP streamable HTTP on http://127.0.0.1:PORT/mcp
              --port N            HTTP port on 127.0.0.1; 0 (default) picks a free port
              --help              show this help

            A DELIBERATELY UNSAFE MCP server for demonstrating Moat. Never expose it.""";

    /** The MCP transports the demo server offers. */
    public enum Transport {
        /** JSON-RPC lines on stdin/stdout. */
        STDIO,
        /** Streamable HTTP on embedded Jetty, bound to 127.0.0.1. */
        HTTP
    }

    /** A command-line error; the message says what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments; accepts {@code --opt value} and {@code --opt=value}. */
    public static ServerOptions parse(String... args) throws UsageException {
        Transport transport = null;
        Integer port = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--transport" -> {
                    if (value == null) {
                        value = valueOf(args, ++i, name);
                    }
                    if (transport != null) {
                        throw new UsageException("--transport given twice");
                    }
                    transport = switch (value) {
                        case "stdio" -> Transport.STDIO;
                        case "http" -> Transport.HTTP;
                        default -> throw new UsageException(
                                "unknown transport '" + value + "' (expected stdio or http)");
                    };
                }
                case "--port" -> {
                    if (value == null) {
                        value = valueOf(args, ++i, name);
                    }
                    if (port != null) {
                        throw new UsageException("--port given twice");
                    }
                    port = parsePort(value);
                }
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (transport == null) {
            transport = Transport.STDIO;
        }
        if (port != null && transport != Transport.HTTP) {
            throw new UsageException("--port only applies to --transport http");
        }
        return new ServerOptions(transport, port == null ? 0 : port, help);
    }

    private static String valueOf(String[] args, int index, String option) throws UsageException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int parsePort(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("invalid port '" + value + "' (expected 0-65535)");
    }
}
