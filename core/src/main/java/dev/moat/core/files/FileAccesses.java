package dev.moat.core.files;

import dev.moat.core.policy.Access;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * What each JDK file operation asks of the policy, as a bit set of {@link Access} kinds
 * ({@code 1 << ordinal}). The mapping, in one place:
 *
 * <ul>
 *   <li>Open for reading: {@code read}. Open for writing (truncating or appending) an existing file:
 *       {@code write}; a file that does not exist yet and is created by the open: {@code create}.
 *       Read and write together ({@code RandomAccessFile "rw"}, {@code READ+WRITE}): both.
 *       {@code DELETE_ON_CLOSE} adds {@code delete}.</li>
 *   <li>Delete: {@code delete} on the entry itself (a link is deleted, not its target).</li>
 *   <li>Rename or move: {@code delete} on the source entry, and {@code create} on the target (or
 *       {@code write} when it replaces an existing entry).</li>
 *   <li>Copy: {@code read} on the source, {@code create}/{@code write} on the target.</li>
 *   <li>Create a directory, a symbolic link or a hard link: {@code create} on the new entry. A hard link
 *       also needs {@code read} and {@code write} on the existing file, since the new name gives the
 *       same access to the same file (a symbolic link is decided when it is followed).</li>
 *   <li>List a directory: {@code list}.</li>
 *   <li>Change attributes (times, permissions, owner): {@code write}.</li>
 *   <li>Inspect (attributes, existence, access checks, link text): an inspection, allowed where any
 *       access kind is allowed ({@link PathGuard#decideInspect}).</li>
 * </ul>
 */
public final class FileAccesses {

    public static final int READ = bit(Access.READ);
    public static final int WRITE = bit(Access.WRITE);
    public static final int CREATE = bit(Access.CREATE);
    public static final int DELETE = bit(Access.DELETE);
    public static final int LIST = bit(Access.LIST);

    /** {@code java.io.RandomAccessFile}'s mode bit for read-write ({@code O_RDWR}). */
    static final int RAF_READ_WRITE = 2;

    private static final Access[] KINDS = Access.values();

    private FileAccesses() {
    }

    /** The bit of one access kind. */
    public static int bit(Access access) {
        return 1 << access.ordinal();
    }

    /** Whether {@code mask} has {@code access}. */
    public static boolean has(int mask, Access access) {
        return (mask & bit(access)) != 0;
    }

    /** The kinds in {@code mask}, in declaration order (read, write, create, delete, list). */
    public static Access kind(int index) {
        return KINDS[index];
    }

    /** Number of access kinds (for iterating bits). */
    public static int kinds() {
        return KINDS.length;
    }

    /**
     * {@code Files.newByteChannel}, {@code FileChannel.open}, {@code AsynchronousFileChannel.open}
     * ({@link StandardOpenOption}s, as {@code UnixChannelFactory} reads them).
     *
     * @param exists whether the file exists (decides between write and create)
     */
    public static int forOpenOptions(Set<?> options, boolean exists) {
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean write = options.contains(StandardOpenOption.WRITE) || append;
        boolean read = options.contains(StandardOpenOption.READ) || !write;
        int mask = read ? READ : 0;
        if (write) {
            boolean create = options.contains(StandardOpenOption.CREATE)
                    || options.contains(StandardOpenOption.CREATE_NEW);
            mask |= exists || !create ? WRITE : CREATE;
        }
        if (options.contains(StandardOpenOption.DELETE_ON_CLOSE)) {
            mask |= DELETE;
        }
        return mask;
    }

    /**
     * Whether an open with {@code options} acts on a final symbolic link itself rather than its
     * target: {@code NOFOLLOW_LINKS}, {@code DELETE_ON_CLOSE} (both {@code O_NOFOLLOW}) and
     * {@code CREATE_NEW} with writing ({@code O_CREAT|O_EXCL} never follows a final link).
     */
    public static boolean opensLinkItself(Set<?> options) {
        boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        if (write && options.contains(StandardOpenOption.CREATE_NEW)) {
            return true;
        }
        return options.contains(LinkOption.NOFOLLOW_LINKS) || options.contains(StandardOpenOption.DELETE_ON_CLOSE);
    }

    /** {@code FileOutputStream.open(name, append)}: truncating or appending, creating when missing. */
    public static int forOutputStream(boolean exists) {
        return exists ? WRITE : CREATE;
    }

    /** {@code RandomAccessFile.open(name, mode)}: {@code "r"} reads, {@code "rw"/"rws"/"rwd"} read and write or create. */
    public static int forRandomAccess(int mode, boolean exists) {
        if ((mode & RAF_READ_WRITE) == 0) {
            return READ;
        }
        return exists ? READ | WRITE : CREATE;
    }

    /** The target of a copy, move or rename: {@code write} when it replaces an existing entry, else {@code create}. */
    public static int forTarget(boolean exists) {
        return exists ? WRITE : CREATE;
    }

    /** Whether {@code options} (LinkOption, CopyOption or OpenOption values; may be null) contain {@code NOFOLLOW_LINKS}. */
    public static boolean noFollow(Object[] options) {
        if (options != null) {
            for (Object o : options) {
                if (o == LinkOption.NOFOLLOW_LINKS) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether copy {@code options} (may be null) contain {@code REPLACE_EXISTING}. */
    public static boolean replaces(Object[] options) {
        if (options != null) {
            for (Object o : options) {
                if (o == StandardCopyOption.REPLACE_EXISTING) {
                    return true;
                }
            }
        }
        return false;
    }
}
