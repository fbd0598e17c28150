package dev.moat.core.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules for one tool ({@code tools.NAME}). Use {@link Policy#networkFor(String)} and
 * {@link Policy#outputFor(String)} for the effective rules of a call, which fold in the global
 * sections; file roots are combined by {@code dev.moat.core.files.PathGuard} (a tool's roots narrow
 * the global ones).
 *
 * @param name            the tool name as the client calls it
 * @param deny            refuse every call of the tool
 * @param args            argument rules by argument name
 * @param files           the tool's own file roots, when written ({@code tools.NAME.files})
 * @param network         the tool's own network rules, when written
 * @param output          the tool's effective output settings when it has an {@code output} key
 *                        (keys it leaves out are taken from the global {@code output})
 * @param recordArguments whether audit events carry the call's arguments (default true)
 */
public record ToolPolicy(String name, boolean deny, Map<String, ArgRule> args, Optional<FilesPolicy> files,
                         Optional<NetworkPolicy> network, Optional<OutputPolicy> output, boolean recordArguments) {

    public ToolPolicy {
        Objects.requireNonNull(name, "name");
        args = Map.copyOf(args);
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(output, "output");
    }
}
