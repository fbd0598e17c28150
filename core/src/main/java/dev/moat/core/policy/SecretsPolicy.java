package dev.moat.core.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code secrets} section.
 *
 * @param declared  whether the policy has this section
 * @param hardcoded what to do with credential literals found in bytecode (default {@code report})
 * @param fromEnv   secret fingerprint (as printed by the scanner) to the name of the environment
 *                  variable whose value replaces the blocked literal
 */
public record SecretsPolicy(boolean declared, HardcodedSecretAction hardcoded, Map<String, String> fromEnv) {

    public SecretsPolicy {
        Objects.requireNonNull(hardcoded, "hardcoded");
        fromEnv = Map.copyOf(fromEnv);
    }
}
