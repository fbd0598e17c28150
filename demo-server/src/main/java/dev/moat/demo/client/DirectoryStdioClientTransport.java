package dev.moat.demo.client;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.nio.file.Path;

/**
 * The SDK's {@link StdioClientTransport} with one addition: the server process starts in a chosen working
 * directory (the SDK's transport always uses the client's). Used by the attack tour and the end-to-end
 * tests, where the server's relative paths must resolve inside a prepared workspace.
 */
public class DirectoryStdioClientTransport extends StdioClientTransport {

    private final Path workingDirectory;

    /**
     * @param params the server command, arguments and extra environment
     * @param jsonMapper the JSON mapper of the client
     * @param workingDirectory the server's working directory, or null to inherit the client's
     */
    public DirectoryStdioClientTransport(ServerParameters params, McpJsonMapper jsonMapper, Path workingDirectory) {
        super(params, jsonMapper);
        this.workingDirectory = workingDirectory;
    }

    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = super.getProcessBuilder();
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        return builder;
    }
}
