package dev.moat.agent.cli;

import dev.moat.core.audit.AuditVerifier;
import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyException;
import dev.moat.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code java -jar moat-agent.jar COMMAND}: the agent's command-line tools. */
@Command(name = "moat-agent.jar", mixinStandardHelpOptions = true, versionProvider = MoatCli.Version.class,
        description = "Moat: hardens Java MCP servers. Attach with -javaagent:moat-agent.jar=policy=moat.yaml",
        subcommands = {MoatCli.CheckPolicy.class, MoatCli.VerifyAudit.class, CommandLine.HelpCommand.class})
public final class MoatCli implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Called reflectively by the launcher; returns the exit status. */
    public static int run(String[] args) {
        return new CommandLine(new MoatCli()).execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code check-policy FILE}: validates a policy file, exits non-zero on error. */
    @Command(name = "check-policy", mixinStandardHelpOptions = true,
            description = "Validate a policy file (YAML or JSON). Exit status 0 if valid, 1 if not.")
    static final class CheckPolicy implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "the policy file")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Policy policy = PolicyLoader.load(file);
                out.println(file + ": valid");
                out.println(policy.describe());
                out.flush();
                return 0;
            } catch (PolicyException e) {
                err.println(e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    /**
     * {@code verify-audit FILE...}: checks the hash chain of an audit log. Exit status 0 when intact,
     * 1 when an event is broken, missing or out of place (named by file, line and sequence), 2 on a
     * usage error or a file that cannot be read.
     */
    @Command(name = "verify-audit", mixinStandardHelpOptions = true,
            description = {"Check the hash chain of an audit log and name the first broken, missing or reordered"
                    + " event.",
                    "Give rotated files oldest first (audit.jsonl.2 audit.jsonl.1 audit.jsonl), or one file with"
                    + " --rotated.",
                    "Exit status: 0 intact, 1 broken, 2 usage error or unreadable file."})
    static final class VerifyAudit implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "audit files, oldest first")
        List<Path> files;

        @Option(names = "--rotated", description = "also check FILE's rotated files (FILE.N ... FILE.1) before it;"
                + " only with a single FILE")
        boolean rotated;

        @Option(names = "--partial", description = "accept a log that does not start at event.sequence 1"
                + " (its oldest rotated files were deleted)")
        boolean partial;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (rotated && files.size() != 1) {
                err.println("verify-audit: --rotated takes exactly one FILE (the active audit file)");
                err.flush();
                return 2;
            }
            List<Path> all = rotated ? AuditVerifier.withRotated(files.get(0)) : new ArrayList<>(files);
            for (Path file : all) {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    err.println("verify-audit: cannot read " + file);
                    err.flush();
                    return 2;
                }
            }
            AuditVerifier.Report report;
            try {
                report = AuditVerifier.verify(all, partial);
            } catch (IOException e) {
                err.println("verify-audit: cannot read the log: " + e.getMessage());
                err.flush();
                return 2;
            }
            PrintWriter to = report.intact() ? out : err;
            to.println(report.summary());
            for (String note : report.notes()) {
                to.println("note: " + note);
            }
            to.flush();
            return report.intact() ? 0 : 1;
        }
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = MoatCli.class.getResourceAsStream("/dev/moat/agent/moat.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"Moat " + p.getProperty("version", "unknown")};
        }
    }
}
