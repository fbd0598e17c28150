package dev.moat.core.policy;

import java.util.Objects;
import java.util.Set;

/**
 * One {@code network} allow or deny entry.
 *
 * @param id     its key path ({@code network.allow[1]}) or {@code builtin:network.deny[10.0.0.0/8]}
 * @param target a {@link HostPattern} or a {@link CidrBlock}
 * @param ports  the ports covered; empty means every port
 */
public record NetworkRule(String id, NetworkTarget target, Set<Integer> ports) {

    public NetworkRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        ports = Set.copyOf(ports);
    }

    /** Whether the rule covers {@code port}. */
    public boolean coversPort(int port) {
        return ports.isEmpty() || ports.contains(port);
    }
}
