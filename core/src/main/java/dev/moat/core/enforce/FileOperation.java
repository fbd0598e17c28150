package dev.moat.core.enforce;

import dev.moat.core.files.FileAccesses;
import java.util.Set;

/**
 * What one JDK file method asks of the policy: one line of the {@link FileOperations} table.
 *
 * @param label        the method for people and the audit trail ({@code moat.file.operation}), for
 *                     example {@code FileSystemProvider.newByteChannel}
 * @param access       the access kinds it asks on its (first) path
 * @param link         whether it acts on a final symbolic link itself or on what it points to
 * @param report       how a denial reaches the caller
 * @param second       the access it asks on a second path (the target of a copy, move, rename or
 *                     link), or null when it has one path
 * @param secondFollows whether the second path's final link is followed (only {@code isSameFile})
 * @param handOn       the family within which the JDK hands one operation on between its own hooked
 *                     methods with the same arguments ({@link #NO_HAND_ON}, {@link #OPEN_HAND_ON},
 *                     {@link #INSPECT_HAND_ON}); such a repeat is decided once
 */
public record FileOperation(String label, AccessRule access, LinkRule link, Report report, AccessRule second,
                            boolean secondFollows, int handOn) {

    public static final int NO_HAND_ON = 0;
    public static final int OPEN_HAND_ON = 1;
    public static final int INSPECT_HAND_ON = 2;

    /** The access kinds an operation asks, as a {@link FileAccesses} bit set (0: an inspection). */
    public enum AccessRule {
        /** Attributes, existence, access checks, link text: allowed where any access is. */
        INSPECT,
        READ,
        WRITE,
        CREATE,
        DELETE,
        LIST,
        /** A hard link's existing file: the new name gives the same access to it. */
        READ_WRITE,
        /** {@code FileOutputStream}: write an existing file, create a missing one. */
        OUTPUT_STREAM,
        /** {@code RandomAccessFile}: the options are the JDK's mode bits ({@code Integer}). */
        RANDOM_ACCESS,
        /** NIO opens: the options are the {@code Set} of open options. */
        OPEN_OPTIONS,
        /** The target of a copy, move or rename: write when it replaces an entry, else create. */
        TARGET;

        /** The bit set for {@code options} (as the row says) on a path that {@code exists} or not. */
        int mask(Object options, boolean exists) {
            switch (this) {
                case INSPECT:
                    return 0;
                case READ:
                    return FileAccesses.READ;
                case WRITE:
                    return FileAccesses.WRITE;
                case CREATE:
                    return FileAccesses.CREATE;
                case DELETE:
                    return FileAccesses.DELETE;
                case LIST:
                    return FileAccesses.LIST;
                case READ_WRITE:
                    return FileAccesses.READ | FileAccesses.WRITE;
                case OUTPUT_STREAM:
                    return FileAccesses.forOutputStream(exists);
                case RANDOM_ACCESS:
                    return FileAccesses.forRandomAccess(options instanceof Integer m ? m : 0, exists);
                case OPEN_OPTIONS:
                    return FileAccesses.forOpenOptions(options instanceof Set<?> s ? s : Set.of(), exists);
                default:
                    return FileAccesses.forTarget(exists);
            }
        }
    }

    /** Whether the final element of the path is followed when it is a symbolic link. */
    public enum LinkRule {
        FOLLOW,
        /** The operation acts on the link itself (delete, rename, create, lstat). */
        NO_FOLLOW,
        /** The options are an array of link or copy options: {@code NOFOLLOW_LINKS} acts on the link. */
        LINK_OPTIONS,
        /** The options are the {@code Set} of open options ({@code NOFOLLOW_LINKS}, {@code CREATE_NEW}...). */
        OPEN_OPTIONS,
        /** The options are an attribute view's {@code followLinks} flag ({@code Boolean}). */
        FOLLOW_FLAG;

        boolean noFollow(Object options) {
            switch (this) {
                case FOLLOW:
                    return false;
                case NO_FOLLOW:
                    return true;
                case LINK_OPTIONS:
                    return FileAccesses.noFollow(options instanceof Object[] o ? o : null);
                case OPEN_OPTIONS:
                    return FileAccesses.opensLinkItself(options instanceof Set<?> s ? s : Set.of());
                default:
                    return Boolean.FALSE.equals(options);
            }
        }
    }

    /** How a denial reaches the caller: the exception that API's callers already handle. */
    public enum Report {
        /** {@code FileNotFoundException}: the java.io streams. */
        NOT_FOUND,
        /** {@code AccessDeniedException}: methods that declare {@code IOException}. */
        ACCESS_DENIED,
        /** {@code SecurityException}: methods that declare nothing but change or list something. */
        SECURITY,
        /** The method is skipped and returns false/0, the way an unreadable file already answers. */
        SKIP
    }
}
