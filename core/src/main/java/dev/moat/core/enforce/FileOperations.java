package dev.moat.core.enforce;

import static dev.moat.core.enforce.FileOperation.AccessRule.CREATE;
import static dev.moat.core.enforce.FileOperation.AccessRule.DELETE;
import static dev.moat.core.enforce.FileOperation.AccessRule.INSPECT;
import static dev.moat.core.enforce.FileOperation.AccessRule.LIST;
import static dev.moat.core.enforce.FileOperation.AccessRule.OUTPUT_STREAM;
import static dev.moat.core.enforce.FileOperation.AccessRule.RANDOM_ACCESS;
import static dev.moat.core.enforce.FileOperation.AccessRule.READ;
import static dev.moat.core.enforce.FileOperation.AccessRule.READ_WRITE;
import static dev.moat.core.enforce.FileOperation.AccessRule.TARGET;
import static dev.moat.core.enforce.FileOperation.AccessRule.WRITE;
import static dev.moat.core.enforce.FileOperation.LinkRule.FOLLOW;
import static dev.moat.core.enforce.FileOperation.LinkRule.FOLLOW_FLAG;
import static dev.moat.core.enforce.FileOperation.LinkRule.LINK_OPTIONS;
import static dev.moat.core.enforce.FileOperation.LinkRule.NO_FOLLOW;
import static dev.moat.core.enforce.FileOperation.Report.ACCESS_DENIED;
import static dev.moat.core.enforce.FileOperation.Report.NOT_FOUND;
import static dev.moat.core.enforce.FileOperation.Report.SECURITY;
import static dev.moat.core.enforce.FileOperation.Report.SKIP;

import dev.moat.core.enforce.FileOperation.AccessRule;
import dev.moat.core.enforce.FileOperation.LinkRule;
import dev.moat.core.enforce.FileOperation.Report;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDK file method → access table, one line per method (the mapping itself is explained in
 * {@link dev.moat.core.files.FileAccesses}). A file hook looks its method up by name in its family and
 * hands the line to {@link FileGate#check}. Checked with {@code javap -p} on OpenJDK 17 and Temurin 25;
 * a method that exists in only one of them is listed all the same.
 */
public final class FileOperations {

    /** {@code FileInputStream/FileOutputStream/RandomAccessFile#open}, by the stream's class name. */
    public static final Family STREAM = new Family("java.io streams");
    /** {@code java.io.File}'s methods that reach the file system, and {@code createTempFile}. */
    public static final Family FILE = new Family("java.io.File");
    /** The default NIO {@code FileSystemProvider}. */
    public static final Family PROVIDER = new Family("FileSystemProvider");
    /** {@code SecureDirectoryStream}: paths relative to the stream's directory. */
    public static final Family SECURE_DIRECTORY = new Family("SecureDirectoryStream");
    /** The default provider's attribute views ({@code setTimes}, {@code setPermissions}, ...). */
    public static final Family ATTRIBUTE_VIEW = new Family("FileAttributeView");

    static {
        STREAM.line("FileInputStream", "FileInputStream.open", READ, FOLLOW, NOT_FOUND);
        STREAM.line("FileOutputStream", "FileOutputStream.open", OUTPUT_STREAM, FOLLOW, NOT_FOUND);
        STREAM.line("RandomAccessFile", "RandomAccessFile.open", RANDOM_ACCESS, FOLLOW, NOT_FOUND);

        for (String inspection : List.of("exists", "isFile", "isDirectory", "isHidden", "canRead", "canWrite",
                "canExecute", "length", "lastModified")) {
            FILE.line(inspection, "File." + inspection, INSPECT, FOLLOW, SKIP);
        }
        FILE.line("delete", "File.delete", DELETE, NO_FOLLOW, SECURITY);
        FILE.line("deleteOnExit", "File.deleteOnExit", DELETE, NO_FOLLOW, SECURITY);
        FILE.line("normalizedList", "File.list", LIST, FOLLOW, SECURITY);
        FILE.line("mkdir", "File.mkdir", CREATE, NO_FOLLOW, SECURITY);
        FILE.line("createNewFile", "File.createNewFile", CREATE, NO_FOLLOW, ACCESS_DENIED);
        for (String setter : List.of("setLastModified", "setReadOnly", "setWritable", "setReadable", "setExecutable")) {
            FILE.line(setter, "File." + setter, WRITE, FOLLOW, SECURITY);
        }
        FILE.line("renameTo", "File.renameTo", DELETE, NO_FOLLOW, SECURITY, TARGET);
        FILE.line("createTempFile", "File.createTempFile", CREATE, NO_FOLLOW, ACCESS_DENIED);

        for (String open : List.of("newByteChannel", "newFileChannel", "newAsynchronousFileChannel")) {
            PROVIDER.line(open, "FileSystemProvider." + open, AccessRule.OPEN_OPTIONS, LinkRule.OPEN_OPTIONS,
                    ACCESS_DENIED, null, false, FileOperation.OPEN_HAND_ON);
        }
        PROVIDER.line("newDirectoryStream", "FileSystemProvider.newDirectoryStream", LIST, FOLLOW, ACCESS_DENIED);
        PROVIDER.line("implDelete", "FileSystemProvider.implDelete", DELETE, NO_FOLLOW, ACCESS_DENIED);
        PROVIDER.line("createDirectory", "FileSystemProvider.createDirectory", CREATE, NO_FOLLOW, ACCESS_DENIED);
        PROVIDER.line("createSymbolicLink", "FileSystemProvider.createSymbolicLink", CREATE, NO_FOLLOW, ACCESS_DENIED);
        PROVIDER.line("createLink", "FileSystemProvider.createLink", CREATE, NO_FOLLOW, ACCESS_DENIED, READ_WRITE);
        PROVIDER.line("copy", "FileSystemProvider.copy", READ, LINK_OPTIONS, ACCESS_DENIED, TARGET);
        PROVIDER.line("move", "FileSystemProvider.move", DELETE, NO_FOLLOW, ACCESS_DENIED, TARGET);
        PROVIDER.line("isSameFile", "FileSystemProvider.isSameFile", INSPECT, FOLLOW, ACCESS_DENIED, INSPECT, true,
                FileOperation.NO_HAND_ON);
        PROVIDER.line("readSymbolicLink", "FileSystemProvider.readSymbolicLink", INSPECT, NO_FOLLOW, ACCESS_DENIED);
        PROVIDER.line("checkAccess", "FileSystemProvider.checkAccess", INSPECT, FOLLOW, ACCESS_DENIED);
        PROVIDER.line("getFileStore", "FileSystemProvider.getFileStore", INSPECT, FOLLOW, ACCESS_DENIED);
        for (String read : List.of("readAttributes", "readAttributesIfExists")) {
            PROVIDER.line(read, "FileSystemProvider." + read, INSPECT, LINK_OPTIONS, ACCESS_DENIED, null, false,
                    FileOperation.INSPECT_HAND_ON);
        }
        PROVIDER.line("getFileAttributeView", "FileSystemProvider.getFileAttributeView", INSPECT, LINK_OPTIONS,
                SECURITY, null, false, FileOperation.INSPECT_HAND_ON);
        PROVIDER.line("setAttribute", "FileSystemProvider.setAttribute", WRITE, FOLLOW, ACCESS_DENIED);
        PROVIDER.line("exists", "FileSystemProvider.exists", INSPECT, LINK_OPTIONS, SKIP);
        for (String test : List.of("isDirectory", "isRegularFile", "isReadable", "isWritable", "isExecutable",
                "isHidden")) {
            PROVIDER.line(test, "FileSystemProvider." + test, INSPECT, FOLLOW, SKIP);
        }

        SECURE_DIRECTORY.line("newByteChannel", "SecureDirectoryStream.newByteChannel", AccessRule.OPEN_OPTIONS,
                LinkRule.OPEN_OPTIONS, ACCESS_DENIED);
        SECURE_DIRECTORY.line("newDirectoryStream", "SecureDirectoryStream.newDirectoryStream", LIST, LINK_OPTIONS,
                ACCESS_DENIED);
        SECURE_DIRECTORY.line("deleteFile", "SecureDirectoryStream.deleteFile", DELETE, NO_FOLLOW, ACCESS_DENIED);
        SECURE_DIRECTORY.line("deleteDirectory", "SecureDirectoryStream.deleteDirectory", DELETE, NO_FOLLOW,
                ACCESS_DENIED);
        SECURE_DIRECTORY.line("getFileAttributeView", "SecureDirectoryStream.getFileAttributeView", INSPECT,
                LINK_OPTIONS, SECURITY);
        SECURE_DIRECTORY.line("move", "SecureDirectoryStream.move", DELETE, NO_FOLLOW, ACCESS_DENIED, TARGET);

        for (String setter : List.of("setTimes", "setPermissions", "setOwner", "setGroup", "setReadOnly", "setHidden",
                "setArchive", "setSystem")) {
            ATTRIBUTE_VIEW.line(setter, "FileAttributeView." + setter, WRITE, FOLLOW_FLAG, ACCESS_DENIED);
        }
    }

    private FileOperations() {
    }

    /** Every line of every family (for warm-up and tests). */
    public static List<FileOperation> all() {
        return List.of(STREAM, FILE, PROVIDER, SECURE_DIRECTORY, ATTRIBUTE_VIEW).stream()
                .flatMap(f -> f.lines().stream()).toList();
    }

    /** The lines of one family of hooked JDK methods, by method name. */
    public static final class Family {
        private final String name;
        private final Map<String, FileOperation> byMethod = new HashMap<>();

        private Family(String name) {
            this.name = name;
        }

        /** The line of {@code method}, or null when the family does not decide it. */
        public FileOperation get(String method) {
            return byMethod.get(method);
        }

        /** Every line of the family. */
        public Collection<FileOperation> lines() {
            return byMethod.values();
        }

        @Override
        public String toString() {
            return name;
        }

        private void line(String method, String label, AccessRule access, LinkRule link, Report report) {
            line(method, label, access, link, report, null, false, FileOperation.NO_HAND_ON);
        }

        private void line(String method, String label, AccessRule access, LinkRule link, Report report,
                          AccessRule second) {
            line(method, label, access, link, report, second, false, FileOperation.NO_HAND_ON);
        }

        private void line(String method, String label, AccessRule access, LinkRule link, Report report,
                          AccessRule second, boolean secondFollows, int handOn) {
            byMethod.put(method, new FileOperation(label, access, link, report, second, secondFollows, handOn));
        }
    }
}
