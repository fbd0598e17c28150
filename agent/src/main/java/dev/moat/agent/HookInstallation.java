package dev.moat.agent;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The background thread ({@code moat-hooks}) that builds Byte Buddy's transformer while the agent reads
 * its policy and the application starts, then runs what the agent hands it once configured
 * ({@link #then}): putting the hooks in place and saying so.
 */
final class HookInstallation {

    private final CompletableFuture<Step> next = new CompletableFuture<>();
    private final Thread thread;
    private volatile BiConsumer<String, String> lateApplied = (hook, type) -> { };

    /** What runs once the transformer is built (or failed to build: {@code built} null, {@code failure} set). */
    interface Step {
        void run(HookInstaller.Built built, Throwable failure);
    }

    private HookInstallation(List<Hook> hooks, ClassLoader adviceLoader) {
        thread = new Thread(() -> {
            HookInstaller.Built built = null;
            Throwable failure = null;
            try {
                built = HookInstaller.build(adviceLoader, hooks, (hook, type) -> lateApplied.accept(hook, type));
            } catch (Throwable t) {
                failure = t;
            }
            next.join().run(built, failure);
        }, "moat-hooks");
        thread.setDaemon(true);
    }

    /** Starts building the hooks' transformer on {@code moat-hooks}. */
    static HookInstallation begin(List<Hook> hooks, ClassLoader adviceLoader) {
        HookInstallation installation = new HookInstallation(hooks, adviceLoader);
        installation.thread.start();
        return installation;
    }

    /** What to do once built; also where hooks applied later (application classes) are reported. */
    void then(Step step, BiConsumer<String, String> onLateApplied) {
        lateApplied = onLateApplied;
        next.complete(step);
    }

    /** Waits up to {@code millis} for the installation to end (JVM exit: the banner and events get out). */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
