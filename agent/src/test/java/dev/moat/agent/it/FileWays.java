package dev.moat.agent.it;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Scanner;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.logging.FileHandler;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The file bypass suite's host program: tries every JDK way it knows to read, write, create, delete,
 * list, move, link or inspect a file, and prints one line per way on stdout:
 * {@code WAY <name> <ALLOWED|DENIED|HIDDEN|UNREACHED> <exception or ->}.
 *
 * <ul>
 *   <li>{@code prepare BASE} (no agent): lays out {@code BASE/allowed} and {@code BASE/forbidden} with
 *       a file per way, so that no way depends on another.</li>
 *   <li>{@code forbidden BASE} / {@code allowed BASE} (under the agent, working directory
 *       {@code BASE/allowed}): each way aims at the forbidden tree (directly, or spelled through the
 *       allowed one: {@code ..}, symbolic links, dangling links, relative paths) or at the allowed tree.</li>
 * </ul>
 * ALLOWED: the operation did what it was asked (for a read: the expected content came back; the
 * content itself is never printed). DENIED: it threw (the message follows). HIDDEN: an inspection
 * answered "not there" (false, 0, null). UNREACHED: the JDK failed before reaching the target
 * (no such file) without the agent having to decide.
 */
public final class FileWays {

    static final String SECRET = "FORBIDDEN-SECRET-7f3a9c";
    static final String DATA = "ALLOWED-DATA-1b2c3d";

    /** An inspection answered as if the file were not there. */
    static final class Hidden extends RuntimeException {
        Hidden(String what) {
            super(what);
        }
    }

    /** One way to touch a file. */
    interface Act {
        void run(Layout l, String way) throws Exception;
    }

    record Way(String name, Act act) {
    }

    /**
     * Where a run aims: {@code target} is the forbidden tree (or the allowed one), {@code home} the
     * allowed tree (the working directory), {@code forbidden} whether the run aims outside.
     */
    record Layout(Path base, Path target, Path home, boolean forbidden) {

        /** The file to read: its content is {@link #expected()}. */
        Path read() {
            return target.resolve(forbidden ? "secret.txt" : "data.txt");
        }

        String expected() {
            return forbidden ? SECRET : DATA;
        }

        /** An existing file of this way only (to write, delete, rename...). */
        Path victim(String way) {
            return target.resolve("victims").resolve(safe(way) + ".txt");
        }

        /** A path that does not exist yet, in an existing directory of this way only. */
        Path fresh(String way) {
            return target.resolve("fresh").resolve(safe(way));
        }

        /** An existing directory with a few entries. */
        Path dir() {
            return target.resolve("listme");
        }

        /** An existing zip (and jar) with one entry {@code x.txt} holding {@link #expected()}. */
        Path zip() {
            return target.resolve(forbidden ? "secret.zip" : "data.zip");
        }

        /** A file in the allowed tree (for the "other side" of copies and moves). */
        Path homeFile(String way) {
            return home.resolve("victims").resolve(safe(way) + ".txt");
        }

        /** A fresh path in the allowed tree. */
        Path homeFresh(String way) {
            return home.resolve("fresh").resolve(safe(way));
        }
    }

    private FileWays() {
    }

    static List<Way> ways() {
        List<Way> w = new ArrayList<>();
        // ---- read
        w.add(new Way("FileInputStream(String)", (l, n) -> expect(l, readAll(new FileInputStream(l.read().toString())))));
        w.add(new Way("FileInputStream(File)", (l, n) -> expect(l, readAll(new FileInputStream(l.read().toFile())))));
        w.add(new Way("FileReader", (l, n) -> {
            try (FileReader r = new FileReader(l.read().toFile(), StandardCharsets.UTF_8)) {
                char[] buf = new char[256];
                int k = r.read(buf);
                expect(l, new String(buf, 0, Math.max(k, 0)));
            }
        }));
        w.add(new Way("BufferedReader(FileReader)", (l, n) -> {
            try (BufferedReader r = new BufferedReader(new FileReader(l.read().toFile()))) {
                expect(l, r.readLine());
            }
        }));
        w.add(new Way("Scanner(File)", (l, n) -> {
            try (Scanner s = new Scanner(l.read().toFile(), StandardCharsets.UTF_8)) {
                expect(l, s.nextLine());
            }
        }));
        w.add(new Way("Scanner(Path)", (l, n) -> {
            try (Scanner s = new Scanner(l.read(), StandardCharsets.UTF_8)) {
                expect(l, s.nextLine());
            }
        }));
        w.add(new Way("RandomAccessFile(r)", (l, n) -> {
            try (RandomAccessFile f = new RandomAccessFile(l.read().toFile(), "r")) {
                expect(l, f.readLine());
            }
        }));
        w.add(new Way("Files.readAllBytes", (l, n) -> expect(l, new String(Files.readAllBytes(l.read()), StandardCharsets.UTF_8))));
        w.add(new Way("Files.readString", (l, n) -> expect(l, Files.readString(l.read()))));
        w.add(new Way("Files.readAllLines", (l, n) -> expect(l, String.join("\n", Files.readAllLines(l.read())))));
        w.add(new Way("Files.lines", (l, n) -> {
            try (Stream<String> lines = Files.lines(l.read())) {
                expect(l, String.join("\n", lines.toList()));
            }
        }));
        w.add(new Way("Files.newBufferedReader", (l, n) -> {
            try (BufferedReader r = Files.newBufferedReader(l.read())) {
                expect(l, r.readLine());
            }
        }));
        w.add(new Way("Files.newInputStream", (l, n) -> expect(l, readAll(Files.newInputStream(l.read())))));
        w.add(new Way("Files.newByteChannel(SeekableByteChannel)", (l, n) -> {
            try (SeekableByteChannel c = Files.newByteChannel(l.read())) {
                ByteBuffer b = ByteBuffer.allocate(256);
                c.read(b);
                expect(l, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            }
        }));
        w.add(new Way("FileChannel.open(READ)", (l, n) -> {
            try (FileChannel c = FileChannel.open(l.read(), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(256);
                c.read(b);
                expect(l, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            }
        }));
        w.add(new Way("AsynchronousFileChannel.open(READ)", (l, n) -> {
            try (AsynchronousFileChannel c = AsynchronousFileChannel.open(l.read(), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(256);
                int k = c.read(b, 0).get();
                expect(l, new String(b.array(), 0, Math.max(k, 0), StandardCharsets.UTF_8));
            }
        }));
        w.add(new Way("Files.copy(Path,OutputStream)", (l, n) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Files.copy(l.read(), out);
            expect(l, out.toString(StandardCharsets.UTF_8));
        }));
        w.add(new Way("Files.mismatch", (l, n) -> {
            long m = Files.mismatch(l.read(), l.read());
            if (m != -1) {
                throw new IllegalStateException("mismatch " + m);
            }
        }));
        w.add(new Way("URL(file:).openStream", (l, n) -> expect(l, readAll(l.read().toUri().toURL().openStream()))));
        w.add(new Way("URLClassLoader.getResourceAsStream", (l, n) -> {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {l.target().toUri().toURL()}, null)) {
                InputStream in = loader.getResourceAsStream(l.read().getFileName().toString());
                if (in == null) {
                    throw new Hidden("resource not found");
                }
                expect(l, readAll(in));
            }
        }));
        w.add(new Way("ZipFile", (l, n) -> {
            try (ZipFile z = new ZipFile(l.zip().toFile())) {
                expect(l, readAll(z.getInputStream(z.getEntry("x.txt"))));
            }
        }));
        w.add(new Way("JarFile", (l, n) -> {
            try (JarFile z = new JarFile(l.zip().toFile())) {
                expect(l, readAll(z.getInputStream(z.getEntry("x.txt"))));
            }
        }));
        w.add(new Way("FileSystems.newFileSystem(zip)", (l, n) -> {
            try (FileSystem zfs = FileSystems.newFileSystem(l.zip())) {
                expect(l, Files.readString(zfs.getPath("x.txt")));
            }
        }));
        w.add(new Way("ProcessBuilder.redirectInput(File)", (l, n) -> {
            Process p = new ProcessBuilder("cat").redirectInput(l.read().toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        }));
        // ---- write and create
        w.add(new Way("FileOutputStream(String) create", (l, n) -> {
            try (FileOutputStream out = new FileOutputStream(l.fresh(n).toString())) {
                out.write(1);
            }
        }));
        w.add(new Way("FileOutputStream(File) truncate", (l, n) -> {
            try (FileOutputStream out = new FileOutputStream(l.victim(n).toFile())) {
                out.write(1);
            }
        }));
        w.add(new Way("FileOutputStream(File,append)", (l, n) -> {
            try (FileOutputStream out = new FileOutputStream(l.victim(n).toFile(), true)) {
                out.write(1);
            }
        }));
        w.add(new Way("FileWriter", (l, n) -> {
            try (FileWriter out = new FileWriter(l.victim(n).toFile())) {
                out.write("x");
            }
        }));
        w.add(new Way("PrintWriter(File)", (l, n) -> {
            try (PrintWriter out = new PrintWriter(l.fresh(n).toFile())) {
                out.println("x");
            }
        }));
        w.add(new Way("RandomAccessFile(rw)", (l, n) -> {
            try (RandomAccessFile f = new RandomAccessFile(l.victim(n).toFile(), "rw")) {
                f.write(1);
            }
        }));
        w.add(new Way("RandomAccessFile(rw) create", (l, n) -> {
            try (RandomAccessFile f = new RandomAccessFile(l.fresh(n).toFile(), "rw")) {
                f.write(1);
            }
        }));
        w.add(new Way("Files.write", (l, n) -> Files.write(l.victim(n), new byte[] {1})));
        w.add(new Way("Files.writeString create", (l, n) -> Files.writeString(l.fresh(n), "x")));
        w.add(new Way("Files.newOutputStream", (l, n) -> {
            try (var out = Files.newOutputStream(l.victim(n))) {
                out.write(1);
            }
        }));
        w.add(new Way("Files.newBufferedWriter(APPEND)", (l, n) -> {
            try (var out = Files.newBufferedWriter(l.victim(n), StandardOpenOption.APPEND)) {
                out.write("x");
            }
        }));
        w.add(new Way("Files.copy(InputStream,Path)", (l, n) ->
                Files.copy(new java.io.ByteArrayInputStream(new byte[] {1}), l.fresh(n))));
        w.add(new Way("Files.createFile", (l, n) -> Files.createFile(l.fresh(n))));
        w.add(new Way("File.createNewFile", (l, n) -> {
            if (!l.fresh(n).toFile().createNewFile()) {
                throw new IllegalStateException("createNewFile returned false");
            }
        }));
        w.add(new Way("File.createTempFile(dir)", (l, n) -> File.createTempFile("moat", ".tmp", l.fresh(n).getParent().toFile())));
        w.add(new Way("Files.createTempFile(dir)", (l, n) -> Files.createTempFile(l.fresh(n).getParent(), "moat", ".tmp")));
        w.add(new Way("FileChannel.open(WRITE,CREATE)", (l, n) -> {
            try (FileChannel c = FileChannel.open(l.fresh(n), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                c.write(ByteBuffer.wrap(new byte[] {1}));
            }
        }));
        w.add(new Way("AsynchronousFileChannel.open(WRITE)", (l, n) -> {
            try (AsynchronousFileChannel c = AsynchronousFileChannel.open(l.victim(n), StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(new byte[] {1}), 0).get();
            }
        }));
        w.add(new Way("java.util.logging.FileHandler", (l, n) -> {
            FileHandler h = new FileHandler(l.fresh(n) + "-%u.log");
            h.close();
        }));
        w.add(new Way("ProcessBuilder.redirectOutput(File)", (l, n) -> {
            Process p = new ProcessBuilder("true").redirectOutput(l.fresh(n).toFile()).start();
            p.waitFor();
        }));
        // ---- copy, move, rename, link
        w.add(new Way("Files.copy(Path,Path) out of the target", (l, n) -> Files.copy(l.victim(n), l.homeFresh(n))));
        w.add(new Way("Files.copy(Path,Path) into the target", (l, n) -> Files.copy(l.homeFile(n), l.fresh(n))));
        w.add(new Way("Files.copy REPLACE_EXISTING", (l, n) ->
                Files.copy(l.homeFile(n), l.victim(n), StandardCopyOption.REPLACE_EXISTING)));
        w.add(new Way("Files.move out of the target", (l, n) -> Files.move(l.victim(n), l.homeFresh(n))));
        w.add(new Way("Files.move into the target", (l, n) -> Files.move(l.homeFile(n), l.fresh(n))));
        w.add(new Way("File.renameTo out of the target", (l, n) -> {
            if (!l.victim(n).toFile().renameTo(l.homeFresh(n).toFile())) {
                throw new IllegalStateException("renameTo returned false");
            }
        }));
        w.add(new Way("Files.createDirectory", (l, n) -> Files.createDirectory(l.fresh(n))));
        w.add(new Way("Files.createDirectories", (l, n) -> Files.createDirectories(l.fresh(n).resolve("a/b"))));
        w.add(new Way("File.mkdir", (l, n) -> {
            if (!l.fresh(n).toFile().mkdir()) {
                throw new IllegalStateException("mkdir returned false");
            }
        }));
        w.add(new Way("File.mkdirs", (l, n) -> {
            if (!l.fresh(n).resolve("a/b").toFile().mkdirs()) {
                throw new IllegalStateException("mkdirs returned false");
            }
        }));
        w.add(new Way("Files.createSymbolicLink", (l, n) -> Files.createSymbolicLink(l.fresh(n), l.read())));
        w.add(new Way("Files.createLink (hard link to the target, made in the allowed tree)", (l, n) ->
                Files.createLink(l.homeFresh(n), l.victim(n))));
        // ---- attributes
        w.add(new Way("Files.setLastModifiedTime", (l, n) -> Files.setLastModifiedTime(l.victim(n), FileTime.fromMillis(0))));
        w.add(new Way("Files.setPosixFilePermissions", (l, n) ->
                Files.setPosixFilePermissions(l.victim(n), PosixFilePermissions.fromString("rw-rw-rw-"))));
        w.add(new Way("Files.setAttribute(lastModifiedTime)", (l, n) ->
                Files.setAttribute(l.victim(n), "lastModifiedTime", FileTime.fromMillis(0))));
        w.add(new Way("File.setLastModified", (l, n) -> {
            if (!l.victim(n).toFile().setLastModified(0)) {
                throw new IllegalStateException("setLastModified returned false");
            }
        }));
        w.add(new Way("File.setWritable", (l, n) -> {
            if (!l.victim(n).toFile().setWritable(true, false)) {
                throw new IllegalStateException("setWritable returned false");
            }
        }));
        w.add(new Way("File.setReadOnly", (l, n) -> {
            if (!l.victim(n).toFile().setReadOnly()) {
                throw new IllegalStateException("setReadOnly returned false");
            }
        }));
        // ---- delete
        w.add(new Way("Files.delete", (l, n) -> Files.delete(l.victim(n))));
        w.add(new Way("Files.deleteIfExists", (l, n) -> {
            if (!Files.deleteIfExists(l.victim(n))) {
                throw new IllegalStateException("deleteIfExists returned false");
            }
        }));
        w.add(new Way("File.delete", (l, n) -> {
            if (!l.victim(n).toFile().delete()) {
                throw new IllegalStateException("delete returned false");
            }
        }));
        w.add(new Way("File.deleteOnExit", (l, n) -> l.victim(n).toFile().deleteOnExit()));
        w.add(new Way("Files.newByteChannel(DELETE_ON_CLOSE)", (l, n) -> {
            try (SeekableByteChannel c = Files.newByteChannel(l.victim(n), StandardOpenOption.READ,
                    StandardOpenOption.DELETE_ON_CLOSE)) {
                c.size();
            }
        }));
        // ---- list
        w.add(new Way("File.list", (l, n) -> listed(l.dir().toFile().list())));
        w.add(new Way("File.listFiles", (l, n) -> listed(l.dir().toFile().listFiles())));
        w.add(new Way("Files.list", (l, n) -> {
            try (Stream<Path> s = Files.list(l.dir())) {
                listed(s.toArray());
            }
        }));
        w.add(new Way("Files.walk", (l, n) -> {
            try (Stream<Path> s = Files.walk(l.dir())) {
                if (s.count() < 3) {
                    throw new Hidden("walk saw nothing");
                }
            }
        }));
        w.add(new Way("Files.find", (l, n) -> {
            try (Stream<Path> s = Files.find(l.dir(), 5, (p, a) -> a.isRegularFile())) {
                if (s.count() < 2) {
                    throw new Hidden("find saw nothing");
                }
            }
        }));
        w.add(new Way("Files.newDirectoryStream", (l, n) -> {
            List<Path> seen = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(l.dir())) {
                ds.forEach(seen::add);
            }
            listed(seen.toArray());
        }));
        w.add(new Way("Files.walkFileTree", (l, n) -> {
            int[] files = new int[1];
            Files.walkFileTree(l.dir(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    files[0]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    throw exc;
                }
            });
            if (files[0] < 2) {
                throw new Hidden("walkFileTree saw nothing");
            }
        }));
        w.add(new Way("URL(file:dir/).openStream (listing)", (l, n) -> {
            String listing = readAll(l.dir().toUri().toURL().openStream());
            if (!listing.contains("a.txt")) {
                throw new Hidden("listing without entries");
            }
        }));
        // ---- inspect
        w.add(new Way("Files.readAttributes", (l, n) -> Files.readAttributes(l.read(), BasicFileAttributes.class)));
        w.add(new Way("Files.getLastModifiedTime", (l, n) -> Files.getLastModifiedTime(l.read())));
        w.add(new Way("Files.size", (l, n) -> Files.size(l.read())));
        w.add(new Way("Files.getOwner", (l, n) -> Files.getOwner(l.read())));
        w.add(new Way("Files.exists", (l, n) -> truth(Files.exists(l.read()), "Files.exists")));
        w.add(new Way("Files.exists(NOFOLLOW_LINKS)", (l, n) ->
                truth(Files.exists(l.read(), LinkOption.NOFOLLOW_LINKS), "Files.exists")));
        w.add(new Way("Files.isReadable", (l, n) -> truth(Files.isReadable(l.read()), "Files.isReadable")));
        w.add(new Way("Files.isRegularFile", (l, n) -> truth(Files.isRegularFile(l.read()), "Files.isRegularFile")));
        w.add(new Way("Files.isDirectory", (l, n) -> truth(Files.isDirectory(l.dir()), "Files.isDirectory")));
        w.add(new Way("File.exists", (l, n) -> truth(l.read().toFile().exists(), "File.exists")));
        w.add(new Way("File.isFile", (l, n) -> truth(l.read().toFile().isFile(), "File.isFile")));
        w.add(new Way("File.canRead", (l, n) -> truth(l.read().toFile().canRead(), "File.canRead")));
        w.add(new Way("File.length", (l, n) -> truth(l.read().toFile().length() > 0, "File.length")));
        w.add(new Way("File.lastModified", (l, n) -> truth(l.read().toFile().lastModified() > 0, "File.lastModified")));
        w.add(new Way("Files.readSymbolicLink", (l, n) -> Files.readSymbolicLink(l.target().resolve("link"))));
        // ---- escapes: spelled through the allowed tree (or the working directory), landing in the target
        w.add(new Way("relative ../ path", (l, n) -> expect(l, readAll(new FileInputStream(
                l.forbidden() ? "../forbidden/secret.txt" : "./data.txt")))));
        w.add(new Way("absolute path with /../ and //", (l, n) -> expect(l, Files.readString(Path.of(
                l.home() + (l.forbidden() ? "/./sub/..//../forbidden/secret.txt" : "/./sub/..//data.txt"))))));
        w.add(new Way("file: URI with %2e%2e", (l, n) -> expect(l, readAll(new FileInputStream(new File(
                new java.net.URI("file://" + l.home() + (l.forbidden() ? "/%2e%2e/forbidden/secret.txt" : "/sub/%2e%2e/data.txt"))))))));
        w.add(new Way("symlink to the file", (l, n) -> expect(l, Files.readString(l.home().resolve(
                l.forbidden() ? "link-to-secret" : "link-to-data")))));
        w.add(new Way("symlinked directory", (l, n) -> expect(l, readAll(new FileInputStream(l.home().resolve(
                l.forbidden() ? "link-to-forbidden/secret.txt" : "link-to-sub/../data.txt").toFile())))));
        w.add(new Way("symlink then .. (kernel order)", (l, n) -> expect(l, Files.readString(l.home().resolve(
                l.forbidden() ? "link-to-forbidden-listme/../secret.txt" : "link-to-sub/../data.txt")))));
        w.add(new Way("dangling symlink, created through", (l, n) -> Files.writeString(l.home().resolve(
                l.forbidden() ? "dangling-to-forbidden" : "dangling-to-home"), "x")));
        w.add(new Way("symlinked parent, created through", (l, n) -> Files.writeString(l.home().resolve(
                (l.forbidden() ? "link-to-forbidden" : "link-to-sub") + "/fresh-" + n.length() + ".txt"), "x")));
        w.add(new Way("user.dir changed, then a relative path", (l, n) -> {
            String before = System.getProperty("user.dir");
            System.setProperty("user.dir", l.forbidden() ? l.target().toString() : l.home().toString());
            try {
                expect(l, readAll(new FileInputStream(l.forbidden() ? "secret.txt" : "data.txt")));
            } finally {
                System.setProperty("user.dir", before);
            }
        }));
        w.add(new Way("SecureDirectoryStream.newByteChannel(../)", (l, n) -> {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(l.home().resolve("sub"))) {
                SecureDirectoryStream<Path> sds = (SecureDirectoryStream<Path>) ds;
                try (SeekableByteChannel c = sds.newByteChannel(Path.of(l.forbidden() ? "../../forbidden/secret.txt"
                        : "../data.txt"), Set.of(StandardOpenOption.READ))) {
                    ByteBuffer b = ByteBuffer.allocate(256);
                    c.read(b);
                    expect(l, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
                }
            }
        }));
        w.add(new Way("SecureDirectoryStream.deleteFile(../)", (l, n) -> {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(l.home().resolve("sub"))) {
                ((SecureDirectoryStream<Path>) ds).deleteFile(Path.of(
                        (l.forbidden() ? "../../forbidden/victims/" : "../victims/") + safe(n) + ".txt"));
            }
        }));
        return w;
    }

    /** A way's name as a file name. */
    static String safe(String way) {
        return way.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private static String readAll(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void expect(Layout l, String content) {
        if (content == null || !content.contains(l.expected())) {
            throw new IllegalStateException("read something else than the expected content");
        }
    }

    private static void truth(boolean answer, String what) {
        if (!answer) {
            throw new Hidden(what + " answered false");
        }
    }

    private static void listed(Object[] entries) {
        if (entries == null) {
            throw new Hidden("listing returned null");
        }
        if (entries.length < 2) {
            throw new Hidden("listing returned " + entries.length + " entries");
        }
    }

    // ---------------------------------------------------------------- layout

    /** Creates BASE/allowed and BASE/forbidden with everything each way needs (run without the agent). */
    static void prepare(Path base) throws IOException {
        Path allowed = Files.createDirectories(base.resolve("allowed"));
        Path forbidden = Files.createDirectories(base.resolve("forbidden"));
        Files.writeString(allowed.resolve("data.txt"), DATA + "\n");
        Files.writeString(forbidden.resolve("secret.txt"), SECRET + "\n");
        for (Path tree : List.of(allowed, forbidden)) {
            boolean isForbidden = tree.equals(forbidden);
            Files.createDirectories(tree.resolve("victims"));
            Files.createDirectories(tree.resolve("fresh"));
            Files.createDirectories(tree.resolve("listme/deeper"));
            Files.writeString(tree.resolve("listme/a.txt"), "a");
            Files.writeString(tree.resolve("listme/b.txt"), "b");
            Files.writeString(tree.resolve("listme/deeper/c.txt"), "c");
            Files.createDirectories(tree.resolve("sub"));
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(
                    tree.resolve(isForbidden ? "secret.zip" : "data.zip")))) {
                z.putNextEntry(new ZipEntry("x.txt"));
                z.write((isForbidden ? SECRET : DATA).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            Files.createSymbolicLink(tree.resolve("link"), tree.resolve(isForbidden ? "secret.txt" : "data.txt"));
            for (Way way : ways()) {
                Files.writeString(tree.resolve("victims").resolve(safe(way.name()) + ".txt"), "victim of " + way.name());
            }
        }
        Files.createSymbolicLink(allowed.resolve("link-to-secret"), forbidden.resolve("secret.txt"));
        Files.createSymbolicLink(allowed.resolve("link-to-data"), allowed.resolve("data.txt"));
        Files.createSymbolicLink(allowed.resolve("link-to-forbidden"), forbidden);
        Files.createSymbolicLink(allowed.resolve("link-to-forbidden-listme"), forbidden.resolve("listme"));
        Files.createSymbolicLink(allowed.resolve("link-to-sub"), allowed.resolve("sub"));
        Files.createSymbolicLink(allowed.resolve("dangling-to-forbidden"), forbidden.resolve("created-through-link.txt"));
        Files.createSymbolicLink(allowed.resolve("dangling-to-home"), allowed.resolve("created-through-link.txt"));
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path base = Path.of(args[1]);
        if (mode.equals("prepare")) {
            prepare(base);
            return;
        }
        if (mode.equals("same-path")) {
            samePath(base.resolve("allowed/data.txt"));
            return;
        }
        boolean forbidden = mode.equals("forbidden");
        Layout layout = new Layout(base, base.resolve(forbidden ? "forbidden" : "allowed"), base.resolve("allowed"),
                forbidden);
        for (Way way : ways()) {
            String outcome;
            try {
                way.act().run(layout, way.name());
                outcome = "ALLOWED -";
            } catch (Hidden h) {
                outcome = "HIDDEN " + h.getMessage();
            } catch (NoSuchFileException | FileNotFoundException e) {
                String message = String.valueOf(e.getMessage());
                outcome = (message.contains("Moat") ? "DENIED " : "UNREACHED ") + describe(e);
            } catch (Throwable t) {
                Throwable cause = t instanceof java.util.concurrent.ExecutionException && t.getCause() != null
                        ? t.getCause() : t;
                outcome = "DENIED " + describe(cause);
            }
            System.out.println("WAY " + way.name() + " | " + outcome);
        }
        System.out.println("WAYS " + ways().size());
    }

    /**
     * One Path object, and the JDK's own constant option arrays, used for a read and at once for a
     * write: the write must be decided on its own (under a read-only policy: denied).
     */
    static void samePath(Path file) {
        List<String> lines = new ArrayList<>();
        Act[] acts = {
            (l, n) -> {
                FileChannel.open(file, StandardOpenOption.READ).close();
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
            },
            (l, n) -> {
                Files.readAttributes(file, BasicFileAttributes.class);
                Files.newByteChannel(file, StandardOpenOption.WRITE).close();
            },
            (l, n) -> {
                Files.newByteChannel(file).close();
                Files.newByteChannel(file, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
            },
        };
        for (int i = 0; i < acts.length; i++) {
            try {
                acts[i].run(null, "same-path");
                lines.add("SAME " + i + " | ALLOWED -");
            } catch (Throwable t) {
                lines.add("SAME " + i + " | DENIED " + describe(t));
            }
        }
        lines.forEach(System.out::println);
    }

    private static String describe(Throwable t) {
        String s = t.toString().replace('\n', ' ');
        return s.length() > 300 ? s.substring(0, 300) : s;
    }

    static EnumSet<StandardOpenOption> none() {
        return EnumSet.noneOf(StandardOpenOption.class);
    }
}
