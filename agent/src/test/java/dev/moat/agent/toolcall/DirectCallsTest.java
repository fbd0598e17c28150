package dev.moat.agent.toolcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The calls the tool-call path makes into classes it cannot link against. */
public class DirectCallsTest {

    /** Shaped like the SDK's types: an interface with getters, one-argument and two-argument methods. */
    public interface Exchange {
        String sessionId();

        int port();

        String get(String key);

        Object handle(Object exchange, Object params);

        void subscribe(List<String> sink);
    }

    static class HiddenExchange implements Exchange {
        @Override
        public String sessionId() {
            return "s-1";
        }

        @Override
        public int port() {
            return 8080;
        }

        @Override
        public String get(String key) {
            if (key.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            return "v:" + key;
        }

        @Override
        public Object handle(Object exchange, Object params) {
            return exchange + "/" + params;
        }

        @Override
        public void subscribe(List<String> sink) {
            sink.add("subscribed");
        }
    }

    public static String join(Object a, Object b) {
        return a + "+" + b;
    }

    /** A checked exception from the target reaches the caller unchanged, not wrapped. */
    public static String failing(Object a) throws IOException {
        throw new IOException("disk");
    }

    @Test
    void generatedCallsCallTheMethodFromAClassBesideIt() throws Exception {
        Exchange exchange = new HiddenExchange();
        Function<Object, Object> session = DirectCalls.function(Exchange.class.getMethod("sessionId"));
        Function<Object, Object> port = DirectCalls.function(Exchange.class.getMethod("port"));
        BiFunction<Object, Object, Object> get = DirectCalls.biFunction(Exchange.class.getMethod("get", String.class));
        BiConsumer<Object, Object> subscribe = DirectCalls.biConsumer(Exchange.class.getMethod("subscribe", List.class));
        BiFunction<Object, Object, Object> handle = DirectCalls.bound(
                Exchange.class.getMethod("handle", Object.class, Object.class), exchange);
        BiFunction<Object, Object, Object> join = DirectCalls.biFunction(
                DirectCallsTest.class.getMethod("join", Object.class, Object.class));

        assertThat(session.apply(exchange)).isEqualTo("s-1");
        assertThat(port.apply(exchange)).isEqualTo(8080);
        assertThat(get.apply(exchange, "k")).isEqualTo("v:k");
        List<String> sink = new ArrayList<>();
        subscribe.accept(exchange, sink);
        assertThat(sink).containsExactly("subscribed");
        assertThat(handle.apply("ex", "params")).isEqualTo("ex/params");
        assertThat(join.apply("a", "b")).isEqualTo("a+b");
        java.lang.reflect.Field receiver = handle.getClass().getDeclaredField("receiver");
        assertThat(java.lang.reflect.Modifier.isPrivate(receiver.getModifiers())
                && java.lang.reflect.Modifier.isFinal(receiver.getModifiers())).as("the bound receiver cannot be swapped").isTrue();
        for (Object call : List.of(session, port, get, subscribe, handle, join)) {
            assertThat(call.getClass().getName()).startsWith(getClass().getPackageName() + ".MoatCall$");
            assertThat(call.getClass().getClassLoader()).isSameAs(getClass().getClassLoader());
        }
    }

    @Test
    void eachClassIsMadeOnceAndServesEveryLaterAsk() throws Exception {
        Method sessionId = Exchange.class.getMethod("sessionId");
        assertThat(DirectCalls.function(sessionId).getClass()).isSameAs(DirectCalls.function(sessionId).getClass());
        Method handle = Exchange.class.getMethod("handle", Object.class, Object.class);
        BiFunction<Object, Object, Object> first = DirectCalls.bound(handle, new HiddenExchange());
        BiFunction<Object, Object, Object> second = DirectCalls.bound(handle, new HiddenExchange() {
            @Override
            public Object handle(Object exchange, Object params) {
                return "second";
            }
        });
        assertThat(second.getClass()).isSameAs(first.getClass());
        assertThat(first.apply("a", "b")).isEqualTo("a/b");
        assertThat(second.apply("a", "b")).isEqualTo("second");
    }

    @Test
    void whatTheTargetThrowsReachesTheCallerUnchanged() throws Exception {
        BiFunction<Object, Object, Object> get = DirectCalls.biFunction(Exchange.class.getMethod("get", String.class));
        assertThatThrownBy(() -> get.apply(new HiddenExchange(), "boom"))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
        Function<Object, Object> failing = DirectCalls.function(DirectCallsTest.class.getMethod("failing", Object.class));
        assertThatThrownBy(() -> failing.apply("x")).isInstanceOf(IOException.class).hasMessage("disk");
        assertThatThrownBy(() -> get.apply("not an exchange", "k")).isInstanceOf(ClassCastException.class);
    }

    @Test
    void whereNoClassCanBeDefinedTheCallFallsBackToAMethodHandle() throws Exception {
        // java.lang is not open to the agent: the same calls, through a handle
        Function<Object, Object> length = DirectCalls.function(String.class.getMethod("length"));
        BiFunction<Object, Object, Object> concat = DirectCalls.biFunction(String.class.getMethod("concat", String.class));
        BiConsumer<Object, Object> add = DirectCalls.biConsumer(List.class.getMethod("add", Object.class));
        BiFunction<Object, Object, Object> bound = DirectCalls.bound(
                String.class.getMethod("replace", CharSequence.class, CharSequence.class), "a-b");

        assertThat(length.apply("four")).isEqualTo(4);
        assertThat(concat.apply("a", "b")).isEqualTo("ab");
        List<Object> list = new ArrayList<>();
        add.accept(list, "x");
        assertThat(list).containsExactly("x");
        assertThat(bound.apply("-", "+")).isEqualTo("a+b");
        assertThat(length.getClass().getName()).doesNotContain("MoatCall");
        assertThatThrownBy(() -> length.apply(42)).isInstanceOf(ClassCastException.class);
    }

    @Test
    void aMethodOfTheWrongShapeIsRefused() throws Exception {
        assertThatThrownBy(() -> DirectCalls.function(Exchange.class.getMethod("get", String.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 values, not 1");
        assertThatThrownBy(() -> DirectCalls.bound(Exchange.class.getMethod("sessionId"), new HiddenExchange()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
