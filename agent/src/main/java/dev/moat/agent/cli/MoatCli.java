package dev.moat.agent.cli;

import dev.moat.core.policy.Policy;
import dev.moat.core.policy.PolicyException;
import dev.moat.core.policy.PolicyLoader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code java -jar moat-agent.jar COMMAND}: the agent's command-line tools. */
@Command(name = "moat-agent.jar", mixinStandardHelpOptions = true, versionProvider = MoatCli.Version.class,
        description = "Moat: hardens Java MCP servers. Attach with -javaagent:moat-agent.jar=policy=moat.yaml",
        subcommands = {MoatCli.CheckPolicy.class, CommandLine.HelpCommand.class})
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
