package dev.moat.agent.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation and its relocated libraries from the {@value #PREFIX} folder of
 * the agent jar, where they are stored as {@code .classdata} so that no other class loader (the
 * application's, a servlet container's class scanner) can see or load them. Its parent is the
 * platform loader: the agent never links against application classes.
 */
final class IsolatedClassLoader extends ClassLoader {

    /** Where the isolated part of the agent lives inside the agent jar. */
    static final String PREFIX = "dev/moat/isolated/";
    private static final String CLASS_SUFFIX = ".class";
    private static final String CLASSDATA_SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain protectionDomain;

    IsolatedClassLoader(Path agentJar) throws IOException {
        super("moat", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(agentJar.toFile(), false);
        URL url = agentJar.toUri().toURL();
        this.jarUrl = url.toExternalForm();
        this.protectionDomain = new ProtectionDomain(new CodeSource(url, (Certificate[]) null), null, this, null);
    }

    /** True when the jar carries an isolated part at all (a plain class-path copy would not). */
    boolean hasIsolatedPart() {
        return jar.getEntry(PREFIX + "dev/moat/agent/AgentInstaller" + CLASSDATA_SUFFIX) != null;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String entryName = PREFIX + name.replace('.', '/') + CLASSDATA_SUFFIX;
        JarEntry entry = jar.getJarEntry(entryName);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + entryName + " from " + jarUrl, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // another thread defined it first
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, protectionDomain);
    }

    private String entryName(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        if (name.endsWith(CLASS_SUFFIX)) {
            name = name.substring(0, name.length() - CLASS_SUFFIX.length()) + CLASSDATA_SUFFIX;
        }
        return PREFIX + name;
    }

    @Override
    protected URL findResource(String name) {
        String entryName = entryName(name);
        if (jar.getEntry(entryName) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + entryName);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    /** Reads straight from the jar: no URL connection caches, no JarURLConnection locking. */
    @Override
    public InputStream getResourceAsStream(String name) {
        JarEntry entry = jar.getJarEntry(entryName(name));
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return new ByteArrayInputStream(in.readAllBytes());
        } catch (IOException e) {
            return null;
        }
    }
}
