package dev.moat.agent.hooks;

/** The JDK executors the context hooks reach into. */
final class JdkExecutors {

    static final String THREAD_POOL = "java.util.concurrent.ThreadPoolExecutor";
    static final String SCHEDULED_POOL = "java.util.concurrent.ScheduledThreadPoolExecutor";
    static final String FORK_JOIN_POOL = "java.util.concurrent.ForkJoinPool";

    private JdkExecutors() {
    }
}
