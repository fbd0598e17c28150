package dev.moat.core.policy;

import java.util.List;

/**
 * The {@code nativeLibraries} section. Declared: only libraries at or beneath the listed paths may
 * be loaded through {@code System.load}/{@code loadLibrary}. Not declared: loading is allowed and
 * audited.
 *
 * @param declared whether the policy has this section
 * @param allow    allowed library files or directories (globs allowed)
 */
public record NativeLibrariesPolicy(boolean declared, List<PathPattern> allow) {

    public NativeLibrariesPolicy {
        allow = List.copyOf(allow);
    }
}
