package dev.moat.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.files.JdkCaller.Frame;
import dev.moat.core.files.JdkCaller.Verdict;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JdkCallerTest {

    // ---------------------------------------------------------------- the pure classifier

    /** A stack from the hook outward: "jdk:" marks a class loaded by the JDK, anything else the application's. */
    private static boolean jdk(String... frames) {
        List<Frame> stack = new ArrayList<>();
        for (String f : frames) {
            stack.add(f.startsWith("jdk:") ? new Frame(f.substring(4), true) : new Frame(f, false));
        }
        return JdkCaller.isJdk(stack);
    }

    private static final String[] HOOK = {"dev.moat.core.files.JdkCaller", "dev.moat.core.files.PathGuard",
            "dev.moat.agent.files.FileHookHandler", "dev.moat.bridge.MoatBridge"};

    private static String[] fromHook(String... rest) {
        String[] all = new String[HOOK.length + rest.length];
        System.arraycopy(HOOK, 0, all, 0, HOOK.length);
        System.arraycopy(rest, 0, all, HOOK.length, rest.length);
        return all;
    }

    @Test
    void theJdkReadingItsOwnConfigurationIsTheJdks() {
        // sun.net.NetProperties opening conf/net.properties by its canonical path
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.io.FileInputStream",
                "jdk:sun.net.NetProperties", "jdk:sun.net.NetProperties$1", "jdk:java.security.AccessController",
                "jdk:java.net.InetAddress", "com.example.Tool"))).isTrue();
        // the resolver configuration read by the JNDI DNS provider
        assertThat(jdk(fromHook("jdk:sun.nio.fs.UnixChannelFactory", "jdk:java.nio.file.Files",
                "jdk:sun.net.dns.ResolverConfigurationImpl", "jdk:com.sun.jndi.dns.DnsContextFactory"))).isTrue();
        // cgroup and /proc files read by the container support
        assertThat(jdk(fromHook("jdk:java.nio.file.Files", "jdk:jdk.internal.platform.CgroupUtil",
                "jdk:jdk.internal.platform.cgroupv2.CgroupV2Subsystem", "org.springframework.X"))).isTrue();
        // public JDK classes known to read system configuration
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.util.TimeZone", "app.Tool"))).isTrue();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.time.zone.TzdbZoneRulesProvider",
                "jdk:java.time.zone.ZoneRulesProvider", "app.Tool"))).isTrue();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.net.InetAddress$PlatformResolver",
                "app.Tool"))).isTrue();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.util.logging.LogManager",
                "app.Tool"))).isTrue();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.util.Currency$1", "app.Tool"))).isTrue();
        // a privileged action created by the JDK: its creator decides
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:sun.security.action.OpenFileInputStreamAction",
                "jdk:java.security.AccessController", "jdk:sun.security.ssl.TrustStoreManager$TrustAnchorManager",
                "app.Tool"))).isTrue();
        // Files.probeContentType reading /etc/mime.types for the JDK
        assertThat(jdk(fromHook("jdk:java.nio.file.Files", "jdk:sun.nio.fs.MimeTypesFileTypeDetector",
                "jdk:sun.nio.fs.AbstractFileTypeDetector", "jdk:java.nio.file.Files", "app.Tool"))).isTrue();
    }

    @Test
    void theApplicationReadingASystemFileIsTheApplications() {
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "com.example.Tool"))).isFalse();
        assertThat(jdk(fromHook("jdk:sun.nio.fs.UnixChannelFactory", "jdk:sun.nio.fs.UnixFileSystemProvider",
                "jdk:java.nio.file.Files", "com.example.Tool", "jdk:sun.net.NetProperties"))).isFalse();
        // java.util.stream calling a method reference: the stream is not the JDK's own need
        assertThat(jdk(fromHook("jdk:java.nio.file.Files", "jdk:java.util.stream.ReferencePipeline$3$1",
                "jdk:java.util.stream.AbstractPipeline", "com.example.Tool"))).isFalse();
        // an executor running a task whose body is a method reference to the file API
        assertThat(jdk(fromHook("jdk:java.nio.file.Files", "jdk:java.util.concurrent.FutureTask",
                "jdk:java.util.concurrent.ThreadPoolExecutor$Worker", "jdk:java.lang.Thread"))).isFalse();
        // JDK code that opens what its caller names
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.util.Scanner", "com.example.Tool")))
                .isFalse();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:sun.net.www.protocol.file.FileURLConnection",
                "jdk:java.net.URL", "com.example.Tool"))).isFalse();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:sun.net.www.protocol.file.Handler",
                "jdk:java.net.URLConnection", "jdk:com.sun.org.apache.xerces.internal.impl.XMLEntityManager",
                "jdk:com.sun.org.apache.xerces.internal.parsers.DOMParser", "jdk:javax.xml.parsers.DocumentBuilder",
                "com.example.Tool"))).as("an XML external entity").isFalse();
        assertThat(jdk(fromHook("jdk:java.util.zip.ZipFile$Source", "jdk:java.util.zip.ZipFile",
                "jdk:java.util.jar.JarFile", "com.example.Tool"))).isFalse();
        // the HTTP client sending a file body on its own thread: nothing but pass-through and the pool
        assertThat(jdk(fromHook("jdk:java.nio.file.Files",
                "jdk:jdk.internal.net.http.RequestPublishers$FilePublisher",
                "jdk:jdk.internal.net.http.Http1Request", "jdk:jdk.internal.net.http.common.SequentialScheduler",
                "jdk:java.util.concurrent.ThreadPoolExecutor$Worker", "jdk:java.lang.Thread"))).isFalse();
        // a file server serving the directory its caller chose
        assertThat(jdk(fromHook("jdk:java.nio.file.Files",
                "jdk:sun.net.httpserver.simpleserver.FileServerHandler", "jdk:sun.net.httpserver.ServerImpl$Exchange",
                "jdk:java.util.concurrent.ThreadPoolExecutor$Worker", "jdk:java.lang.Thread"))).isFalse();
        // a virtual thread whose task is pass-through only
        assertThat(jdk(fromHook("jdk:java.nio.file.Files", "jdk:java.lang.VirtualThread",
                "jdk:jdk.internal.vm.Continuation"))).isFalse();
    }

    @Test
    void aClassNamedLikeTheJdksButNotLoadedByItIsTheApplications() {
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "sun.evil.Opener", "com.example.Tool"))).isFalse();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk.internal.Fake"))).isFalse();
        // an application class named like the plumbing is not skipped: it decides
        assertThat(jdk(fromHook("sun.nio.ch.Fake", "jdk:sun.net.NetProperties"))).isFalse();
    }

    @Test
    void onlyTheAgentsFramesOnTopAreSkipped() {
        // an application class in dev.moat (the demo server) below the file API decides
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "dev.moat.demo.Tools", "jdk:sun.net.NetProperties")))
                .isFalse();
        assertThat(jdk(fromHook())).as("nothing but the agent").isFalse();
        assertThat(jdk()).as("no frame at all").isFalse();
        assertThat(jdk(fromHook("jdk:java.io.FileInputStream", "jdk:java.nio.file.Files"))).as("only plumbing")
                .isFalse();
    }

    @Test
    void stepsAreDecidedOnThePrefixesByElement() {
        assertThat(JdkCaller.step("dev.moat.core.files.PathGuard", false, true)).isEqualTo(Verdict.SKIP);
        assertThat(JdkCaller.step("dev.moat.core.files.PathGuard", false, false)).isEqualTo(Verdict.APPLICATION);
        assertThat(JdkCaller.step("java.lang.Class", true, false)).isEqualTo(Verdict.SKIP);
        assertThat(JdkCaller.step("java.lang.ClassValue", true, false)).as("a class, not a family")
                .isEqualTo(Verdict.APPLICATION);
        assertThat(JdkCaller.step("java.net.URLClassLoader", true, false)).as("java.net.URL*").isEqualTo(Verdict.SKIP);
        assertThat(JdkCaller.step("java.util.TimeZone$1", true, false)).isEqualTo(Verdict.JDK);
        assertThat(JdkCaller.step("java.util.TimeZoneX", true, false)).isEqualTo(Verdict.APPLICATION);
        assertThat(JdkCaller.step("java.net.Inet4AddressImpl", true, false)).isEqualTo(Verdict.JDK);
        assertThat(JdkCaller.step("sunny.Thing", true, false)).isEqualTo(Verdict.APPLICATION);
    }

    // ---------------------------------------------------------------- the real stack

    /** A stream whose read asks the walker, as the guard does from inside the file hook. */
    private static final class Probe extends InputStream {
        final List<Boolean> answers = new ArrayList<>();

        @Override
        public int read() {
            answers.add(JdkCaller.onThisStack().getAsBoolean());
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return read();
        }

        static boolean readOne(Probe p) {
            p.read();
            return p.answers.get(p.answers.size() - 1);
        }
    }

    @Test
    void onTheRealStackJdkInternalCodeIsTheJdk() throws IOException {
        JdkCaller.warmUp();
        Probe probe = new Probe();
        // sun.nio.cs.StreamDecoder (java.base) calls the probe: it decides, as the JDK
        try (InputStreamReader reader = new InputStreamReader(probe, StandardCharsets.UTF_8)) {
            assertThat(reader.read()).isEqualTo(-1);
        }
        assertThat(probe.answers).isNotEmpty().containsOnly(true);
    }

    @Test
    void onTheRealStackApplicationCodeIsTheApplication() throws IOException {
        Probe direct = new Probe();
        try (BufferedInputStream in = new BufferedInputStream(direct)) {
            // BufferedInputStream passes through; this test method (application, below it) decides
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(direct.answers).isNotEmpty().containsOnly(false);

        Probe evil = new Probe();
        sun.evil.Opener.readOne(evil);
        assertThat(evil.answers).as("sun.evil.Opener is not the JDK's").containsOnly(false);

        Probe streamed = new Probe();
        assertThat(Stream.of(streamed).map(Probe::readOne).findFirst()).as("java.util.stream calling a method reference")
                .contains(false);
    }

    @Test
    void theWalkIsCheap() {
        JdkCaller.warmUp();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            JdkCaller.onThisStack().getAsBoolean();
        }
        long perWalkMicros = (System.nanoTime() - start) / 1000 / 1000;
        assertThat(perWalkMicros).as("µs per walk").isLessThan(1000);
    }
}
