package dev.moat.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContextTasksTest {

    @Test
    void outsideToolCallsNothingIsWrapped() {
        Runnable r = () -> { };
        Callable<String> c = () -> "x";
        assertThat(ContextTasks.wrap(r)).isSameAs(r);
        assertThat(ContextTasks.wrap(c)).isSameAs(c);
        assertThat(ContextTasks.wrap((Runnable) null)).isNull();
    }

    @Test
    void aWrappedTaskRunsInTheCallAndThePooledThreadForgetsItAfterwards() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ToolCallContext call = new ToolCallContext("t", "id-1", null);
            AtomicReference<ToolCallContext> inTask = new AtomicReference<>();
            Runnable wrapped;
            Callable<ToolCallContext> callable;
            try (ToolCallContext.Scope ignored = call.attach()) {
                wrapped = ContextTasks.wrap(() -> inTask.set(ToolCallContext.current()));
                callable = ContextTasks.wrap(ToolCallContext::current);
                assertThat(ContextTasks.wrap(wrapped)).as("never wrapped twice").isSameAs(wrapped);
            }
            pool.submit(wrapped).get(10, TimeUnit.SECONDS);
            assertThat(inTask.get()).isSameAs(call);
            assertThat(pool.submit(callable).get(10, TimeUnit.SECONDS)).isSameAs(call);
            assertThat(pool.submit(ToolCallContext::current).get(10, TimeUnit.SECONDS)).isNull();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWrappedFutureStillBehavesAsTheFuture() throws Exception {
        ToolCallContext call = new ToolCallContext("t", "id-2", null);
        FutureTask<String> task = new FutureTask<>(() -> {
            throw new IllegalStateException("boom");
        });
        Runnable wrapped;
        try (ToolCallContext.Scope ignored = call.attach()) {
            wrapped = ContextTasks.wrap(task);
        }
        assertThat(wrapped).isInstanceOf(RunnableFuture.class).isNotSameAs(task);
        wrapped.run();
        assertThat(((Future<?>) wrapped).isDone()).isTrue();
        assertThatThrownBy(() -> ((Future<?>) wrapped).get()).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("boom");
    }

    @Test
    void anEndedCallIsNoLongerCurrentAndSuspendRestores() {
        ToolCallContext call = new ToolCallContext("t", "id-3", null);
        try (ToolCallContext.Scope ignored = call.attach()) {
            try (ToolCallContext.Scope suspended = ToolCallContext.suspend()) {
                assertThat(ToolCallContext.current()).isNull();
            }
            assertThat(ToolCallContext.current()).isSameAs(call);
            call.end();
            assertThat(ToolCallContext.current()).isNull();
            assertThat(ContextTasks.wrap((Runnable) () -> { })).isNotNull();
        }
        try (ToolCallContext.Scope nothing = ToolCallContext.suspend()) {
            assertThat(ToolCallContext.current()).isNull();
        }
    }

    @Test
    void threadHandoffCarriesTheCallIntoAPlainThreadButNotIntoAWorkerSubclass() throws Exception {
        ToolCallContext call = new ToolCallContext("t", "id-4", null);
        AtomicReference<ToolCallContext> seen = new AtomicReference<>();
        Thread plain = new Thread(() -> { });
        Thread worker = new Thread() {
            @Override
            public void run() {
            }
        };
        try (ToolCallContext.Scope ignored = call.attach()) {
            ThreadHandoff.starting(plain);
            ThreadHandoff.starting(worker);
        }
        assertThat(ThreadHandoff.pending()).isEqualTo(1);
        // what the Thread.run hook does on the new thread, simulated on this one
        Thread probe = new Thread(() -> {
            try (ToolCallContext.Scope s = ThreadHandoff.running(Thread.currentThread())) {
                seen.set(ToolCallContext.current());
            }
        });
        try (ToolCallContext.Scope ignored = call.attach()) {
            ThreadHandoff.starting(probe);
        }
        probe.start();
        probe.join(10_000);
        assertThat(seen.get()).isSameAs(call);
        ThreadHandoff.startFailed(plain);
        assertThat(ThreadHandoff.pending()).isZero();
    }
}
