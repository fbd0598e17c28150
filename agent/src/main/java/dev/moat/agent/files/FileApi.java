package dev.moat.agent.files;

/**
 * Which family of JDK file methods an advice sits in; the advice passes one of these with the hooked
 * method's name ({@code @Advice.Origin("#m")}). Compile-time constants: javac inlines them into the
 * advice, so the advice never loads this class.
 */
public final class FileApi {

    /** {@code FileInputStream/FileOutputStream/RandomAccessFile#open(name[, append | mode])}; self is the stream. */
    public static final int STREAM = 1;
    /** {@code java.io.File} instance methods; self is the File, the first argument (renameTo's target) follows. */
    public static final int FILE = 2;
    /** {@code File.createTempFile(prefix, suffix, directory)}. */
    public static final int FILE_TEMP = 3;
    /** Methods of the default {@code FileSystemProvider} ({@code sun.nio.fs}); its first three arguments follow. */
    public static final int PROVIDER = 4;
    /** {@code UnixSecureDirectoryStream} methods (paths relative to the stream's directory); self is the stream. */
    public static final int SECURE_DIRECTORY = 5;
    /** Attribute views of the default provider ({@code setTimes}, {@code setPermissions}, ...); self is the view. */
    public static final int ATTRIBUTE_VIEW = 6;

    private FileApi() {
    }
}
