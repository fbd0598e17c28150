package dev.moat.agent;

import dev.moat.agent.hooks.ExecutorCallableHook;
import dev.moat.agent.hooks.ExecutorRunnableHook;
import dev.moat.agent.hooks.FileAttributeViewHook;
import dev.moat.agent.hooks.FileMethodsHook;
import dev.moat.agent.hooks.FileProviderHook;
import dev.moat.agent.hooks.FileStreamOpenHook;
import dev.moat.agent.hooks.FileTempHook;
import dev.moat.agent.hooks.HttpCallerHook;
import dev.moat.agent.hooks.PoolWorkerStartHook;
import dev.moat.agent.hooks.ProcessStartHook;
import dev.moat.agent.hooks.SecureDirectoryStreamHook;
import dev.moat.agent.hooks.ThreadRunHook;
import dev.moat.agent.hooks.ThreadStartHook;
import dev.moat.agent.hooks.ToolCallHook;
import java.util.List;

/**
 * Every hook the agent installs, in one place. Adding a hook is one class in {@code dev.moat.agent.hooks}
 * (matchers, advice and what it does, see {@link Hook}), one line here and one test in a JVM with the
 * real agent jar.
 */
public final class Hooks {

    private Hooks() {
    }

    /** The hooks, in installation order. */
    public static List<Hook> all() {
        return List.of(
                new ToolCallHook(),
                new ProcessStartHook(),
                new FileStreamOpenHook(),
                new FileMethodsHook(),
                new FileTempHook(),
                new FileProviderHook(),
                new SecureDirectoryStreamHook(),
                new FileAttributeViewHook(),
                new HttpCallerHook(),
                new ExecutorRunnableHook(),
                new ExecutorCallableHook(),
                new PoolWorkerStartHook(),
                new ThreadStartHook(),
                new ThreadRunHook());
    }
}
