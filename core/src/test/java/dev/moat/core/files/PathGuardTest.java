package dev.moat.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.Access;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathGuardTest {

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    Path home;
    JvmNeeds jvm;

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        root = Files.createDirectories(tmp.resolve("srv/data"));
        outside = Files.createDirectories(tmp.resolve("srv/data-old"));
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "key");
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(outside.resolve("secret.txt"), "s");
        jvm = new JvmNeeds(List.of(Files.createDirectories(tmp.resolve("jdk"))));
    }

    private PathGuard guard(String yaml) throws Exception {
        Policy policy = PolicyLoader.parse(yaml, "test.yaml", new PolicyEnvironment(home, root));
        return new PathGuard(policy, jvm);
    }

    private static String confined(Path root, String extra) {
        return "version: 1\nmode: enforce\nfiles:\n  allow:\n    - { path: " + root
                + ", access: [read, write, create, delete, list] }\n" + extra;
    }

    private Decision decide(PathGuard g, Access access, Path path, String tool) {
        return g.decide(access, PathGuard.resolve(path, false), tool);
    }

    @Test
    void allowsInsideTheRootAndDeniesTheSiblingWithTheSamePrefix() throws Exception {
        PathGuard g = guard(confined(root, ""));
        assertThat(decide(g, Access.READ, root.resolve("a.txt"), null).blocks()).isFalse();
        Decision sibling = decide(g, Access.READ, outside.resolve("secret.txt"), null);
        assertThat(sibling.blocks()).isTrue();
        assertThat(sibling.ruleId()).isEqualTo("files.allow");
        assertThat(sibling.reason()).contains(outside.resolve("secret.txt").toString());
    }

    @Test
    void dotDotAndRepeatedSeparatorsAreResolvedBeforeDeciding() throws Exception {
        PathGuard g = guard(confined(root, ""));
        Path sneaky = Path.of(root + "//./sub/../../data-old/secret.txt");
        assertThat(decide(g, Access.READ, sneaky, null).blocks()).isTrue();
        assertThat(decide(g, Access.READ, Path.of(root + "/./x/../a.txt"), null).blocks()).isFalse();
    }

    @Test
    void symlinksAndSymlinkedParentsAreFollowed() throws Exception {
        PathGuard g = guard(confined(root, ""));
        Path link = Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret.txt"));
        Path dirLink = Files.createSymbolicLink(root.resolve("dirlink"), outside);
        assertThat(decide(g, Access.READ, link, null).blocks()).isTrue();
        assertThat(decide(g, Access.READ, dirLink.resolve("secret.txt"), null).blocks()).isTrue();
        // A file that does not exist yet is decided on its resolved parent.
        assertThat(decide(g, Access.CREATE, dirLink.resolve("new.txt"), null).blocks()).isTrue();
        assertThat(decide(g, Access.CREATE, root.resolve("new.txt"), null).blocks()).isFalse();
        // Deleting the link itself is decided on the link, not its target.
        assertThat(g.decide(Access.DELETE, PathGuard.resolve(link, true), null).blocks()).isFalse();
    }

    @Test
    void denyEntriesWinOverAllows() throws Exception {
        PathGuard g = guard(confined(root, "  deny: [ " + root.resolve(".git") + " ]\n").replace(
                "files:\n  allow:", "files:\n  allow:"));
        Decision d = decide(g, Access.READ, root.resolve(".git/config"), null);
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).isEqualTo("files.deny[0]");
    }

    @Test
    void credentialStoresAreDeniedEvenWithoutAFilesSection() throws Exception {
        PathGuard g = guard("version: 1\nmode: enforce\n");
        Decision d = decide(g, Access.READ, home.resolve(".ssh/id_rsa"), null);
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).startsWith("builtin:files.deny");
        assertThat(decide(g, Access.READ, outside.resolve("secret.txt"), null).blocks()).isFalse();
    }

    @Test
    void theJvmsOwnFilesAreReadableButNotWritable() throws Exception {
        PathGuard g = guard(confined(root, ""));
        Path runtime = Files.writeString(tmp.resolve("jdk/lib-modules"), "m");
        assertThat(decide(g, Access.READ, runtime, null).ruleId()).isEqualTo("builtin:jvm");
        assertThat(decide(g, Access.WRITE, runtime, null).blocks()).isTrue();
    }

    @Test
    void toolCallScopeLeavesTheRestOfTheProcessAlone() throws Exception {
        PathGuard g = guard(confined(root, "  scope: tool-calls\n"));
        assertThat(decide(g, Access.READ, outside.resolve("secret.txt"), null).blocks()).isFalse();
        assertThat(decide(g, Access.READ, outside.resolve("secret.txt"), "read_file").blocks()).isTrue();
    }

    @Test
    void perToolRootsNarrowTheGlobalOnes() throws Exception {
        Path pub = Files.createDirectories(root.resolve("public"));
        PathGuard g = guard(confined(root, "tools:\n  read_file:\n    files:\n      allow: [ { path: " + pub
                + ", access: [read] } ]\n"));
        assertThat(decide(g, Access.READ, pub, "read_file").blocks()).isFalse();
        Decision d = decide(g, Access.READ, root.resolve("a.txt"), "read_file");
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).isEqualTo("tools.read_file.files.allow");
        assertThat(decide(g, Access.READ, root.resolve("a.txt"), "other_tool").blocks()).isFalse();
    }

    @Test
    void monitorModeRecordsWouldDenyAndDoesNotBlock() throws Exception {
        PathGuard g = guard(confined(root, "").replace("mode: enforce", "mode: monitor"));
        Decision d = decide(g, Access.READ, outside.resolve("secret.txt"), null);
        assertThat(d.blocks()).isFalse();
        assertThat(d.label()).isEqualTo("would-deny");
    }

    @Test
    void jvmNeedsCoverTheRuntimeTheClassPathAndTheAgentJar() {
        JvmNeeds needs = JvmNeeds.of("/opt/jdk", "/app/lib/a.jar:/app/classes", null, Path.of("/opt/moat/moat-agent.jar"));
        assertThat(needs.covers(Path.of("/opt/jdk/lib/modules"))).isTrue();
        assertThat(needs.covers(Path.of("/app/classes/x/Y.class"))).isTrue();
        assertThat(needs.covers(Path.of("/opt/moat/moat-agent.jar"))).isTrue();
        assertThat(needs.covers(Path.of("/dev/urandom"))).isTrue();
        assertThat(needs.covers(Path.of("/opt/jdk-other/x"))).isFalse();
        assertThat(needs.covers(Path.of("/etc/shadow"))).isFalse();
    }

    @Test
    void dotDotAfterASymlinkClimbsOutOfTheLinksTargetAsTheKernelDoes() throws Exception {
        PathGuard g = guard(confined(root, ""));
        Path deep = Files.createDirectories(outside.resolve("deep"));
        Files.createSymbolicLink(root.resolve("to-deep"), deep);
        // Lexically root/to-deep/../secret.txt is root/secret.txt; the kernel opens data-old/secret.txt.
        Path sneaky = Path.of(root + "/to-deep/../secret.txt");
        assertThat(PathGuard.resolve(sneaky, false)).isEqualTo(outside.resolve("secret.txt"));
        assertThat(decide(g, Access.READ, sneaky, null).blocks()).isTrue();
        // The same through a path that does not exist yet (the element-by-element walk).
        Path created = Path.of(root + "/to-deep/../new-file.txt");
        assertThat(PathGuard.resolve(created, false)).isEqualTo(outside.resolve("new-file.txt"));
        assertThat(decide(g, Access.CREATE, created, null).blocks()).isTrue();
    }

    @Test
    void aDanglingSymlinkIsDecidedWhereItPoints() throws Exception {
        PathGuard g = guard(confined(root, ""));
        Path dangling = Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet.txt"));
        ResolvedPath r = PathGuard.resolved(dangling, false);
        assertThat(r.path()).isEqualTo(outside.resolve("not-yet.txt"));
        assertThat(r.exists()).isFalse();
        assertThat(g.decide(Access.CREATE, r, null).blocks()).isTrue();
        // Relative link targets resolve from the link's directory; chains are followed.
        Files.createSymbolicLink(root.resolve("chain"), Path.of("dangling"));
        assertThat(PathGuard.resolve(root.resolve("chain"), false)).isEqualTo(outside.resolve("not-yet.txt"));
        // The link itself (delete, rename) is inside.
        assertThat(PathGuard.resolved(dangling, true).path()).isEqualTo(dangling);
        assertThat(PathGuard.resolved(dangling, true).exists()).isTrue();
    }

    @Test
    void aSymlinkLoopIsNotFollowedForever() throws Exception {
        Path a = root.resolve("loop-a");
        Files.createSymbolicLink(a, root.resolve("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), a);
        ResolvedPath r = PathGuard.resolved(a.resolve("x"), false);
        assertThat(r.path().startsWith(root)).isTrue();
    }

    @Test
    void existenceTellsCreateFromWrite() throws Exception {
        assertThat(PathGuard.resolved(root.resolve("a.txt"), false).exists()).isTrue();
        assertThat(PathGuard.resolved(root.resolve("missing/deeper.txt"), false).exists()).isFalse();
        assertThat(PathGuard.resolved(root.resolve("missing/deeper.txt"), false).path())
                .isEqualTo(root.resolve("missing/deeper.txt"));
    }

    @Test
    void rulesWrittenThroughASymlinkCoverWhereTheLinkLeads() throws Exception {
        Path vault = Files.createDirectories(tmp.resolve("vault"));
        Files.writeString(vault.resolve("key"), "k");
        Files.createSymbolicLink(root.resolve("secrets"), vault);
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("srv/data-link"), root);
        PathGuard g = guard(confined(linkedRoot, "  deny: [ " + linkedRoot.resolve("secrets") + " ]\n"));
        // the allow root was written through a link: the real directory is inside it
        assertThat(decide(g, Access.READ, root.resolve("a.txt"), null).blocks()).isFalse();
        // the deny entry was written through two links: its real target stays denied
        Decision d = decide(g, Access.READ, vault.resolve("key"), null);
        assertThat(d.blocks()).isTrue();
        assertThat(d.ruleId()).isEqualTo("files.deny[0]");
    }

    @Test
    void inspectionIsAllowedWhereAnyAccessIsAndDeniedWhereReadIsDenied() throws Exception {
        Path drop = Files.createDirectories(tmp.resolve("drop"));
        PathGuard g = guard("version: 1\nmode: enforce\nfiles:\n  allow:\n    - { path: " + drop
                + ", access: [create] }\n  deny: [ " + drop.resolve("private") + " ]\n");
        assertThat(g.decideInspect(PathGuard.resolved(drop.resolve("new.txt"), false), null).blocks()).isFalse();
        assertThat(g.decide(Access.READ, PathGuard.resolved(drop.resolve("new.txt"), false), null).blocks()).isTrue();
        Decision outsideRoots = g.decideInspect(PathGuard.resolved(outside.resolve("secret.txt"), false), null);
        assertThat(outsideRoots.blocks()).isTrue();
        assertThat(outsideRoots.reason()).startsWith("inspect of ");
        assertThat(g.decideInspect(PathGuard.resolved(drop.resolve("private/x"), false), null).ruleId())
                .isEqualTo("files.deny[0]");
    }

    @Test
    void devNullIsReadableAndWritable() throws Exception {
        PathGuard g = guard(confined(root, ""));
        assertThat(g.decide(Access.WRITE, Path.of("/dev/null"), null).ruleId()).isEqualTo("builtin:dev-null");
        assertThat(g.decide(Access.DELETE, Path.of("/dev/null"), null).blocks()).isTrue();
    }

    @Test
    void theRuntimeImageIsReadByNameEvenWhereItsFilesLinkElsewhere() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("jdk/conf"));
        Path etc = Files.createDirectories(tmp.resolve("etc-java"));
        Files.writeString(etc.resolve("java.security"), "x");
        Files.createSymbolicLink(jdk.resolve("java.security"), etc.resolve("java.security"));
        JvmNeeds needs = JvmNeeds.of(tmp.resolve("jdk").toString(), "", null, null);
        PathGuard g = new PathGuard(PolicyLoader.parse(confined(root, ""), "test.yaml",
                new PolicyEnvironment(home, root)), needs);
        ResolvedPath byName = PathGuard.resolved(jdk.resolve("java.security"), false);
        assertThat(byName.path()).isEqualTo(etc.resolve("java.security"));
        assertThat(g.decide(Access.READ, byName, null).ruleId()).isEqualTo("builtin:jvm");
        assertThat(g.decide(Access.WRITE, byName, null).blocks()).isTrue();
        // Climbing out of the image by name does not count.
        ResolvedPath climbing = PathGuard.resolved(Path.of(jdk + "/../../etc-java/java.security"), false);
        assertThat(g.decide(Access.READ, climbing, null).blocks()).isTrue();
        // Asked directly by the application, the link target is not the JVM's ...
        PathGuard app = new PathGuard(PolicyLoader.parse(confined(root, ""), "test.yaml",
                new PolicyEnvironment(home, root)), needs, () -> false);
        ResolvedPath target = PathGuard.resolved(etc.resolve("java.security"), false);
        assertThat(app.decide(Access.READ, target, null).blocks()).isTrue();
        // ... but the JDK may open it by its resolved name (as sun.net.NetProperties does with conf/net.properties).
        PathGuard jdkAsks = new PathGuard(PolicyLoader.parse(confined(root, ""), "test.yaml",
                new PolicyEnvironment(home, root)), needs, () -> true);
        assertThat(jdkAsks.decide(Access.READ, target, null)).isSameAs(PathGuard.JVM);
        assertThat(jdkAsks.decide(Access.WRITE, target, null).blocks()).isTrue();
    }

    // ---------------------------------------------------------------- system files: the JDK's, not the application's

    /** A guard whose stand-in for the stack walk answers {@code jdk} and counts how often it was asked. */
    private PathGuard systemGuard(String yaml, JvmNeeds needs, boolean jdk, int[] asked) throws Exception {
        Policy policy = PolicyLoader.parse(yaml, "test.yaml", new PolicyEnvironment(home, root));
        return new PathGuard(policy, needs, () -> {
            asked[0]++;
            return jdk;
        });
    }

    private JvmNeeds systemNeeds(Path... systemFiles) {
        return new JvmNeeds(List.of(tmp.resolve("jdk")), List.of(), List.of(systemFiles));
    }

    @Test
    void aSystemFileIsReadableWhenTheJdkAsksAndDeniedWhenTheApplicationDoes() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost");
        JvmNeeds needs = systemNeeds(hosts);
        int[] asked = {0};
        PathGuard jdk = systemGuard(confined(root, ""), needs, true, asked);
        assertThat(jdk.decide(Access.READ, hosts, null)).isSameAs(PathGuard.JVM);
        assertThat(jdk.decide(Access.LIST, hosts, null)).isSameAs(PathGuard.JVM);
        assertThat(jdk.decideInspect(PathGuard.resolved(hosts, false), "any_tool")).isSameAs(PathGuard.JVM);
        assertThat(jdk.decide(Access.WRITE, hosts, null).blocks()).as("never written").isTrue();
        assertThat(jdk.decide(Access.DELETE, hosts, null).blocks()).isTrue();

        PathGuard app = systemGuard(confined(root, ""), needs, false, asked);
        Decision denied = app.decide(Access.READ, hosts, "read_file");
        assertThat(denied.blocks()).isTrue();
        assertThat(denied.ruleId()).isEqualTo("files.allow");
        assertThat(app.decideInspect(PathGuard.resolved(hosts, false), null).blocks()).isTrue();

        PathGuard monitor = systemGuard(confined(root, "").replace("mode: enforce", "mode: monitor"), needs, false,
                asked);
        assertThat(monitor.decide(Access.READ, hosts, null).label()).isEqualTo("would-deny");
    }

    @Test
    void aToolsOwnRootsAreDecidedTheSameWay() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost");
        String yaml = "version: 1\nmode: enforce\ntools:\n  read_file:\n    files:\n      allow: [ " + root + " ]\n";
        int[] asked = {0};
        assertThat(systemGuard(yaml, systemNeeds(hosts), true, asked).decide(Access.READ, hosts, "read_file"))
                .isSameAs(PathGuard.JVM);
        Decision denied = systemGuard(yaml, systemNeeds(hosts), false, asked).decide(Access.READ, hosts, "read_file");
        assertThat(denied.blocks()).isTrue();
        assertThat(denied.ruleId()).isEqualTo("tools.read_file.files.allow");
    }

    @Test
    void theStackIsWalkedOnlyOnTheSlowPath() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "x");
        Path jdkFile = Files.writeString(Files.createDirectories(tmp.resolve("jdk")).resolve("release"), "x");
        int[] asked = {0};
        PathGuard g = systemGuard(confined(root, "    - { path: " + hosts + ", access: [read] }\n"),
                systemNeeds(hosts), false, asked);
        assertThat(g.decide(Access.READ, root.resolve("a.txt"), null).blocks()).isFalse();
        assertThat(g.decide(Access.READ, hosts, null).blocks()).as("a rule allows it").isFalse();
        assertThat(g.decide(Access.READ, jdkFile, null)).as("the runtime, anyone").isSameAs(PathGuard.JVM);
        assertThat(g.decide(Access.READ, outside.resolve("secret.txt"), null).blocks()).as("no system file").isTrue();
        assertThat(g.decide(Access.WRITE, hosts, null).blocks()).isTrue();
        assertThat(asked[0]).as("stack walks").isZero();

        PathGuard unconfined = systemGuard("version: 1\nmode: enforce\n", systemNeeds(hosts), false, asked);
        assertThat(unconfined.decide(Access.READ, hosts, null).blocks()).isFalse();
        assertThat(asked[0]).as("stack walks without a files section").isZero();

        PathGuard confinedOnly = systemGuard(confined(root, ""), systemNeeds(hosts), false, asked);
        confinedOnly.decide(Access.READ, hosts, null);
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void denyEntriesWinOverTheJdksNeeds() throws Exception {
        Path hosts = Files.writeString(tmp.resolve("hosts"), "x");
        int[] asked = {0};
        PathGuard g = systemGuard(confined(root, "  deny: [ " + hosts + " ]\n"), systemNeeds(hosts), true, asked);
        assertThat(g.decide(Access.READ, hosts, null).blocks()).isTrue();
        assertThat(asked[0]).isZero();
    }

    @Test
    void theRealSystemFilesAreTheApplicationsWhenATestReadsThem() throws Exception {
        JvmNeeds needs = JvmNeeds.current(null);
        PathGuard g = new PathGuard(PolicyLoader.parse(confined(root, ""), "test.yaml",
                new PolicyEnvironment(home, root)), needs);
        g.warmUp();
        for (String file : List.of("/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/proc/cpuinfo",
                "/proc/meminfo", "/proc/loadavg")) {
            ResolvedPath r = PathGuard.resolved(Path.of(file), false);
            assertThat(needs.isSystemFile(r.path())).as(file).isTrue();
            assertThat(g.decide(Access.READ, r, "read_file").blocks()).as(file).isTrue();
        }
        assertThat(g.decide(Access.READ, PathGuard.resolved(Path.of("/dev/urandom"), false), "read_file"))
                .as("random bytes, anyone").isSameAs(PathGuard.JVM);
    }

    @Test
    void theTargetsOfTheRuntimeImagesLinksAreSystemFiles() throws Exception {
        Path jdk = Files.createDirectories(tmp.resolve("image"));
        Path etc = Files.createDirectories(tmp.resolve("etc-java/security"));
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        Files.writeString(etc.resolve("java.security"), "x");
        Files.writeString(etc.getParent().resolve("net.properties"), "x");
        Files.writeString(certs.resolve("cacerts"), "x");
        Files.writeString(etc.getParent().resolve("unrelated"), "x");
        Files.createDirectories(jdk.resolve("conf/security"));
        Files.createDirectories(jdk.resolve("lib/security"));
        Files.createSymbolicLink(jdk.resolve("conf/net.properties"), etc.getParent().resolve("net.properties"));
        Files.createSymbolicLink(jdk.resolve("conf/security/java.security"), etc.resolve("java.security"));
        Files.createSymbolicLink(jdk.resolve("lib/security/cacerts"), certs.resolve("cacerts"));
        Files.createSymbolicLink(jdk.resolve("conf/dangling"), tmp.resolve("nowhere"));
        JvmNeeds needs = JvmNeeds.of(jdk.toString(), "", null, null);
        assertThat(needs.isSystemFile(etc.getParent().resolve("net.properties"))).isTrue();
        assertThat(needs.isSystemFile(etc.resolve("java.security"))).isTrue();
        assertThat(needs.isSystemFile(certs.resolve("cacerts"))).isTrue();
        assertThat(needs.isSystemFile(etc.getParent().resolve("unrelated"))).isFalse();
        assertThat(needs.covers(etc.getParent().resolve("net.properties"))).as("not for anyone").isFalse();
    }

    @Test
    void searchingTheRealRuntimeImageForLinksIsCheap() {
        String home = System.getProperty("java.home");
        JvmNeeds.linkTargets(Path.of(home));
        long start = System.nanoTime();
        JvmNeeds.linkTargets(Path.of(home));
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(50);
    }

    @Test
    void jvmNeedsAreKeptAsNamedAndAsResolved() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real-lib"));
        Path link = Files.createSymbolicLink(tmp.resolve("lib-link"), real);
        JvmNeeds needs = JvmNeeds.of("/opt/jdk", link.toString(), null, null);
        assertThat(needs.covers(real.resolve("a.jar"))).isTrue();
        assertThat(needs.covers(link.resolve("a.jar"))).isTrue();
        assertThat(JvmNeeds.none().covers(Path.of("/"))).isFalse();
    }
}
