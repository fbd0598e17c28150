package dev.moat.core.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A path as the kernel will find it, with what it took to get there.
 *
 * @param requested the path as the application named it, made absolute (links and {@code ..} not resolved)
 * @param path      the path decided on: absolute, normalised, every symbolic link resolved (except the
 *                  last element when the operation acts on a link itself)
 * @param exists    whether {@link #path()} exists (decides between {@code write} and {@code create})
 */
public record ResolvedPath(Path requested, Path path, boolean exists) {

    public ResolvedPath {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(path, "path");
    }
}
