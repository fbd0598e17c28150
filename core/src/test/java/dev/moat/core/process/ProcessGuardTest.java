package dev.moat.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.decision.Decision;
import dev.moat.core.policy.CompiledRegex;
import dev.moat.core.policy.PathPattern;
import dev.moat.core.policy.PolicyEnvironment;
import dev.moat.core.policy.ProcessPolicy;
import dev.moat.core.policy.ProcessRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessGuardTest {

    @TempDir
    Path dir;

    private static final PolicyEnvironment ENV = new PolicyEnvironment(Path.of("/home/ann"), Path.of("/work/ws"));

    private ProcessGuard guard(boolean declared, boolean enforce, ProcessRule... rules) {
        return new ProcessGuard(new ProcessPolicy(declared, List.of(rules)), enforce, dir.resolve("bin").toString(), dir);
    }

    private Path executable(String name) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static ProcessRule rule(String id, String executable, String args) {
        return new ProcessRule(id, PathPattern.compile(executable, ENV),
                args == null ? Optional.empty() : Optional.of(CompiledRegex.compile(args)));
    }

    @Test
    void withoutAProcessSectionOnlyToolCallsAreRefused() {
        ProcessGuard enforce = guard(false, true);
        assertThat(enforce.decide(new String[] {"true"}, null, false).blocks()).isFalse();
        Decision inCall = enforce.decide(new String[] {"true"}, null, true);
        assertThat(inCall.blocks()).isTrue();
        assertThat(inCall.ruleId()).isEqualTo(ProcessGuard.DEFAULT_RULE);
        Decision monitored = guard(false, false).decide(new String[] {"true"}, null, true);
        assertThat(monitored.blocks()).isFalse();
        assertThat(monitored.label()).isEqualTo("would-deny");
    }

    @Test
    void aDeclaredSectionAllowsOnlyTheListedProgramsWithMatchingArguments() throws Exception {
        Path git = executable("git");
        ProcessGuard guard = guard(true, true, rule("process.allow[0]", git.toString(), "^(status|log)( .*)?$"));
        Decision bare = guard.decide(new String[] {"git", "status"}, null, true);
        assertThat(bare.blocks()).isFalse();
        assertThat(bare.ruleId()).isEqualTo("process.allow[0]");
        assertThat(guard.decide(new String[] {git.toString(), "log", "-1"}, null, false).blocks()).isFalse();
        assertThat(guard.decide(new String[] {"git", "push"}, null, true).blocks()).isTrue();
        assertThat(guard.decide(new String[] {"sh", "-c", "id"}, null, false).blocks()).as("anywhere").isTrue();
        assertThat(guard(true, true).decide(new String[] {"git"}, null, false).ruleId()).isEqualTo("process.allow");
    }

    @Test
    void relativeProgramsAreResolvedAgainstTheWorkingDirectoryAndLinksToTheirTarget() throws Exception {
        Path tool = executable("tool");
        Path link = Files.createSymbolicLink(dir.resolve("link"), tool);
        ProcessGuard byTarget = guard(true, true, rule("process.allow[0]", tool.toString(), null));
        assertThat(byTarget.decide(new String[] {"./bin/tool"}, null, true).blocks()).isFalse();
        assertThat(byTarget.decide(new String[] {"../bin/tool"}, "bin", true).blocks()).isFalse();
        assertThat(byTarget.decide(new String[] {link.toString()}, null, true).blocks()).as("link to an allowed program")
                .isFalse();
        ProcessGuard byLink = guard(true, true, rule("process.allow[0]", link.toString(), null));
        assertThat(byLink.decide(new String[] {link.toString()}, null, true).blocks()).isFalse();
        assertThat(byLink.decide(new String[] {"tool"}, null, true).blocks()).as("the target is not the link")
                .isTrue();
    }
}
