package dev.moat.core.policy;

import static dev.moat.core.policy.TestPolicies.ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PathPatternTest {

    private static PathPattern p(String raw) {
        return PathPattern.compile(raw, ENV);
    }

    @Test
    void coversThePathAndEverythingBeneathByElement() {
        PathPattern app = p("/srv/app");
        assertThat(app.matches(Path.of("/srv/app"))).isTrue();
        assertThat(app.matches(Path.of("/srv/app/a/b"))).isTrue();
        assertThat(app.matches(Path.of("/srv/app-secret"))).isFalse();
        assertThat(app.matches(Path.of("/srv/ap"))).isFalse();
        assertThat(app.matches(Path.of("/srv"))).isFalse();
        assertThat(app.matches("/srv/app/x")).isTrue();
        assertThat(app.matchesExactly(Path.of("/srv/app"))).isTrue();
        assertThat(app.matchesExactly(Path.of("/srv/app/x"))).isFalse();
    }

    @Test
    void candidatePathsAreNormalised() {
        assertThat(p("/srv/app").matches(Path.of("/srv/app/../app-secret"))).isFalse();
        assertThat(p("/srv/app").matches(Path.of("/srv/x/../app/y"))).isTrue();
        assertThatThrownBy(() -> p("/srv").matches(Path.of("relative"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expandsHomeAndWorkingDirectory() {
        assertThat(p("~").pattern()).isEqualTo("/home/ann");
        assertThat(p("~/.ssh").pattern()).isEqualTo("/home/ann/.ssh");
        assertThat(p("${user.home}/x").pattern()).isEqualTo("/home/ann/x");
        assertThat(p("${user.dir}").pattern()).isEqualTo("/work/ws");
        assertThat(p("${user.dir}/../shared").pattern()).isEqualTo("/work/shared");
        assertThat(p("${user.dir}/a/./b//c/").pattern()).isEqualTo("/work/ws/a/b/c");
        assertThat(p("${user.dir}/a").source()).isEqualTo("${user.dir}/a");
    }

    @Test
    void rootCoversEverything() {
        assertThat(p("/").matches(Path.of("/etc/passwd"))).isTrue();
        assertThat(p("/").matches(Path.of("/"))).isTrue();
        assertThat(p("/").literalPrefix()).isEqualTo(Path.of("/"));
    }

    @Test
    void singleStarAndQuestionMarkStayWithinOneElement() {
        PathPattern environ = p("/proc/*/environ");
        assertThat(environ.hasGlob()).isTrue();
        assertThat(environ.matches(Path.of("/proc/1/environ"))).isTrue();
        assertThat(environ.matches(Path.of("/proc/self/environ"))).isTrue();
        assertThat(environ.matches(Path.of("/proc/1/task/1/environ"))).isFalse();
        assertThat(environ.matches(Path.of("/proc/1/status"))).isFalse();
        assertThat(environ.literalPrefix()).isEqualTo(Path.of("/proc"));

        PathPattern keys = p("/etc/ssh/ssh_host_*_key");
        assertThat(keys.matches(Path.of("/etc/ssh/ssh_host_ed25519_key"))).isTrue();
        assertThat(keys.matches(Path.of("/etc/ssh/ssh_host_ed25519_key.pub"))).isFalse();

        PathPattern q = p("/data/file?.txt");
        assertThat(q.matches(Path.of("/data/file1.txt"))).isTrue();
        assertThat(q.matches(Path.of("/data/file12.txt"))).isFalse();
        assertThat(p("/srv/*/data").matches(Path.of("/srv/a/data/x"))).isTrue();
        assertThat(p("/srv/*/data").matches(Path.of("/srv/a/b/data"))).isFalse();
    }

    @Test
    void doubleStarMatchesAnyNumberOfElements() {
        PathPattern env = p("/home/**/.env");
        assertThat(env.matches(Path.of("/home/.env"))).isTrue();
        assertThat(env.matches(Path.of("/home/a/.env"))).isTrue();
        assertThat(env.matches(Path.of("/home/a/b/c/.env"))).isTrue();
        assertThat(env.matches(Path.of("/home/a/b/c/.envrc"))).isFalse();
        assertThat(p("/srv/**").matches(Path.of("/srv"))).isTrue();
        assertThat(p("/srv/**").matches(Path.of("/srv/a/b"))).isTrue();
        assertThat(p("/**/secret").matches(Path.of("/a/b/secret/inner"))).isTrue();
        assertThat(p("/**/secret").matchesExactly(Path.of("/a/b/secret/inner"))).isFalse();
    }

    @Test
    void elementGlobMatching() {
        assertThat(PathPattern.elementMatches("*", "")).isTrue();
        assertThat(PathPattern.elementMatches("a*b*c", "axxbyyc")).isTrue();
        assertThat(PathPattern.elementMatches("a*b*c", "axxbyy")).isFalse();
        assertThat(PathPattern.elementMatches("*.so", "libx.so")).isTrue();
        assertThat(PathPattern.elementMatches("?", "ab")).isFalse();
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> p("")).hasMessage("empty path");
        assertThatThrownBy(() -> p("a/b")).hasMessageStartingWith("relative path 'a/b'");
        assertThatThrownBy(() -> p("./a")).hasMessageStartingWith("relative path './a'");
        assertThatThrownBy(() -> p("~bob")).hasMessageContaining("~user form is not supported");
        assertThatThrownBy(() -> p("${HOME}/x")).hasMessageContaining("unknown variable '${HOME}'");
        assertThatThrownBy(() -> p("/a/b**")).hasMessageContaining("'**' must be a whole path element");
        assertThatThrownBy(() -> p("/..")).hasMessageContaining("climbs above /");
        assertThatThrownBy(() -> p("/a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void equalityIsByText() {
        assertThat(p("/a/b")).isEqualTo(p("/a/b")).hasSameHashCodeAs(p("/a/b"));
        assertThat(p("/a/b")).isNotEqualTo(p("/a/c"));
        assertThat(p("/a/b").toString()).isEqualTo("/a/b");
    }
}
