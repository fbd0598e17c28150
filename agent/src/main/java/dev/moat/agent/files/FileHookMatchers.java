package dev.moat.agent.files;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.File;
import java.nio.file.Path;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The method matchers of the file hooks listed in {@code Hooks}, each checked with {@code javap -p}
 * on OpenJDK 17.0.15 and Temurin 25.0.3 (names first, arities pinned; where the two JDKs differ the
 * matcher names both forms, so each JDK finds its own).
 */
public final class FileHookMatchers {

    public static final String FILE_INPUT_STREAM = "java.io.FileInputStream";
    public static final String FILE_OUTPUT_STREAM = "java.io.FileOutputStream";
    public static final String RANDOM_ACCESS_FILE = "java.io.RandomAccessFile";
    public static final String FILE = "java.io.File";
    public static final String UNIX_PROVIDER = "sun.nio.fs.UnixFileSystemProvider";
    public static final String LINUX_PROVIDER = "sun.nio.fs.LinuxFileSystemProvider";
    public static final String ABSTRACT_PROVIDER = "sun.nio.fs.AbstractFileSystemProvider";
    public static final String SECURE_DIRECTORY_STREAM = "sun.nio.fs.UnixSecureDirectoryStream";
    public static final String BASIC_VIEW = "sun.nio.fs.UnixFileAttributeViews$Basic";
    public static final String POSIX_VIEW = "sun.nio.fs.UnixFileAttributeViews$Posix";
    public static final String DOS_VIEW = "sun.nio.fs.LinuxDosFileAttributeView";

    /** {@code private void open(String)}, {@code open(String, boolean)}, {@code open(String, int)} (17 and 25). */
    public static final ElementMatcher<MethodDescription> STREAM_OPEN = named("open").and(isPrivate())
            .and(takesArguments(String.class).or(takesArguments(String.class, boolean.class))
                    .or(takesArguments(String.class, int.class)));

    /** {@code java.io.File} instance methods that reach the file system (17 and 25: identical). */
    public static final ElementMatcher<MethodDescription> FILE_METHODS = not(isStatic()).and(
            namedOneOf("exists", "isFile", "isDirectory", "isHidden", "canRead", "canWrite", "canExecute", "length",
                    "lastModified", "delete", "deleteOnExit", "normalizedList", "mkdir", "createNewFile", "setReadOnly")
                    .and(takesArguments(0))
                    .or(named("setLastModified").and(takesArguments(long.class)))
                    .or(namedOneOf("setWritable", "setReadable", "setExecutable")
                            .and(takesArguments(boolean.class, boolean.class)))
                    .or(named("renameTo").and(takesArguments(File.class))));

    /** {@code static File createTempFile(String, String, File)}. */
    public static final ElementMatcher<MethodDescription> FILE_TEMP = named("createTempFile").and(isStatic())
            .and(takesArguments(String.class, String.class, File.class));

    /**
     * The default provider's operations on paths. JDK 17 has {@code exists(Path)}, {@code isDirectory(Path)},
     * {@code isRegularFile(Path)}; JDK 25 has {@code exists(Path, LinkOption...)},
     * {@code readAttributesIfExists}, {@code isReadable/isWritable/isExecutable(Path)}.
     */
    public static final ElementMatcher<MethodDescription> PROVIDER_METHODS = not(isAbstract()).and(not(isBridge()))
            .and(takesArgument(0, Path.class)).and(
                    namedOneOf("newByteChannel", "newFileChannel", "copy", "move", "createSymbolicLink")
                            .and(takesArguments(3))
                            .or(named("newAsynchronousFileChannel").and(takesArguments(4)))
                            .or(namedOneOf("newDirectoryStream", "implDelete", "createDirectory", "createLink",
                                    "checkAccess", "isSameFile").and(takesArguments(2)))
                            .or(namedOneOf("readSymbolicLink", "getFileStore", "isDirectory", "isRegularFile",
                                    "isReadable", "isWritable", "isExecutable", "isHidden").and(takesArguments(1)))
                            .or(namedOneOf("readAttributes", "readAttributesIfExists", "getFileAttributeView")
                                    .and(takesArguments(3)))
                            .or(named("setAttribute").and(takesArguments(4)))
                            .or(named("exists").and(takesArguments(1).or(takesArguments(2)))));

    /** {@code UnixSecureDirectoryStream}'s operations on (relative) paths; the synthetic bridges are left out. */
    public static final ElementMatcher<MethodDescription> SECURE_DIRECTORY_METHODS = isPublic().and(not(isBridge()))
            .and(takesArgument(0, Path.class))
            .and(namedOneOf("newByteChannel", "newDirectoryStream", "deleteFile", "deleteDirectory", "move",
                    "getFileAttributeView"));

    /** Attribute changes of the default provider's views (declared by Basic, Posix and the DOS view). */
    public static final ElementMatcher<MethodDescription> VIEW_SETTERS = isPublic().and(namedOneOf("setTimes",
            "setPermissions", "setOwner", "setGroup", "setReadOnly", "setHidden", "setArchive", "setSystem"));

    private FileHookMatchers() {
    }
}
