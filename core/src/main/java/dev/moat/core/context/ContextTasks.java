package dev.moat.core.context;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries the current tool call into work handed to another thread, the way OpenTelemetry's agent
 * carries its context: the executor hooks wrap a task when it is submitted, and the wrapper attaches
 * the submitter's {@link ToolCallContext} around the task's run and restores the worker's previous
 * context afterwards, so a pooled thread holds the call only while it runs the call's task.
 *
 * <p>Outside tool calls nothing is wrapped (one thread-local read). A task that is already wrapped
 * is left as it is. A {@link RunnableFuture} (what {@code submit} hands to {@code execute}) is
 * wrapped in a {@link RunnableFuture} that delegates every {@code Future} method, so executors that
 * inspect their tasks ({@code afterExecute(r, t)} calling {@code ((Future<?>) r).get()}) keep
 * working. What changes is identity: {@code ThreadPoolExecutor.remove(task)} cannot find a task
 * that was wrapped.
 */
public final class ContextTasks {

    private ContextTasks() {
    }

    /** Implemented by every wrapper, so nothing is wrapped twice. */
    interface Bound {
    }

    /** {@code task}, or a wrapper carrying the current tool call into it. */
    public static Runnable wrap(Runnable task) {
        ToolCallContext context = ToolCallContext.current();
        if (context == null || task == null || task instanceof Bound) {
            return task;
        }
        if (task instanceof RunnableFuture<?> future) {
            return new BoundRunnableFuture<>(context, future);
        }
        return new BoundRunnable(context, task);
    }

    /** {@code task}, or a wrapper carrying the current tool call into it. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        ToolCallContext context = ToolCallContext.current();
        if (context == null || task == null || task instanceof Bound) {
            return task;
        }
        return new BoundCallable<>(context, task);
    }

    private static final class BoundRunnable implements Runnable, Bound {
        private final ToolCallContext context;
        private final Runnable task;

        BoundRunnable(ToolCallContext context, Runnable task) {
            this.context = context;
            this.task = task;
        }

        @Override
        public void run() {
            try (ToolCallContext.Scope ignored = context.attach()) {
                task.run();
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    private static final class BoundCallable<T> implements Callable<T>, Bound {
        private final ToolCallContext context;
        private final Callable<T> task;

        BoundCallable(ToolCallContext context, Callable<T> task) {
            this.context = context;
            this.task = task;
        }

        @Override
        public T call() throws Exception {
            try (ToolCallContext.Scope ignored = context.attach()) {
                return task.call();
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    private static final class BoundRunnableFuture<T> implements RunnableFuture<T>, Bound {
        private final ToolCallContext context;
        private final RunnableFuture<T> task;

        BoundRunnableFuture(ToolCallContext context, RunnableFuture<T> task) {
            this.context = context;
            this.task = task;
        }

        @Override
        public void run() {
            try (ToolCallContext.Scope ignored = context.attach()) {
                task.run();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return task.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException {
            return task.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return task.get(timeout, unit);
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }
}
