package dev.moat.core.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The values policy paths may refer to: {@code ~/} and {@code ${user.home}} expand to
 * {@link #userHome()}, {@code ${user.dir}} to {@link #userDir()} (the JVM's working directory).
 * Captured once when the policy is loaded, so a later change of the system properties does not
 * move the roots.
 *
 * @param userHome absolute home directory
 * @param userDir  absolute working directory
 */
public record PolicyEnvironment(Path userHome, Path userDir) {

    public PolicyEnvironment {
        Objects.requireNonNull(userHome, "userHome");
        Objects.requireNonNull(userDir, "userDir");
        if (!userHome.isAbsolute() || !userDir.isAbsolute()) {
            throw new IllegalArgumentException("userHome and userDir must be absolute: " + userHome + ", " + userDir);
        }
    }

    /** The running JVM's {@code user.home} and {@code user.dir}. */
    public static PolicyEnvironment current() {
        return new PolicyEnvironment(
                Path.of(System.getProperty("user.home", "/")).toAbsolutePath(),
                Path.of(System.getProperty("user.dir", "/")).toAbsolutePath());
    }
}
