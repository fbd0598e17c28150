package dev.moat.agent.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The Object methods every agent proxy answers the same way. */
class ProxyObjectMethodsTest {

    private static Callable<?> proxy(boolean transparent) {
        return (Callable<?>) Proxy.newProxyInstance(Callable.class.getClassLoader(), new Class<?>[] {Callable.class},
                (p, m, a) -> {
                    Object answer = ProxyObjectMethods.answer(p, m, a, "the target", transparent);
                    return answer != ProxyObjectMethods.NOT_AN_OBJECT_METHOD ? answer : "called " + m.getName();
                });
    }

    @Test
    void equalsAndHashCodeAreIdentityAndToStringNamesTheTarget() throws Exception {
        Callable<?> one = proxy(false);
        Callable<?> other = proxy(false);
        assertThat(one.equals(one)).isTrue();
        assertThat(one.equals(other)).isFalse();
        assertThat(one.hashCode()).isEqualTo(System.identityHashCode(one));
        assertThat(one.toString()).isEqualTo("moat(the target)");
        assertThat(proxy(true).toString()).isEqualTo("the target");
        assertThat(one.call()).as("any other method is the handler's").isEqualTo("called call");
    }
}
