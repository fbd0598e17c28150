package dev.moat.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One interception point, in one class: which types and methods it hooks, its advice (a nested class,
 * given by name so that it is only read and inlined, never run from here), and what the agent does when
 * that advice calls the bridge. Each advice method is one line that calls
 * {@link dev.moat.bridge.MoatBridge} with the hook's {@link #id()} (a string constant javac inlines into
 * the advice), so adding a hook never changes the bridge. Subclasses override the entry their advice
 * uses: {@link #check} (enforcement: deny as data), {@link #replace} (wrap a value), or
 * {@link #enter}/{@link #exit} (a scope around the method).
 *
 * <p>Matchers: names first, anything that needs a type description last; arities pinned.
 */
public abstract class Hook {

    private final String id;
    private final String target;
    private final ElementMatcher<? super TypeDescription> types;
    private final ElementMatcher<? super MethodDescription> methods;
    private final String adviceClass;
    private final String[] jdkTypes;

    /**
     * @param id       stable name shown in the banner and the audit trail, for example {@code process-start};
     *                 the advice passes the same constant to the bridge
     * @param target   the hooked method(s) for people, for example {@code java.lang.ProcessImpl#start}
     * @param types    the classes to transform
     * @param methods  the methods of those classes that receive the advice (arity pinned)
     * @param advice   the advice class (nested in the hook)
     * @param jdkTypes the JDK classes it transforms, retransformed at start (they are loaded already or
     *                 loaded then); empty for application classes, which are hooked when they load
     */
    protected Hook(String id, String target, ElementMatcher<? super TypeDescription> types,
                   ElementMatcher<? super MethodDescription> methods, Class<?> advice, String... jdkTypes) {
        this.id = id;
        this.target = target;
        this.types = types;
        this.methods = methods;
        this.adviceClass = advice.getName();
        this.jdkTypes = jdkTypes.clone();
    }

    public final String id() {
        return id;
    }

    public final String target() {
        return target;
    }

    public final ElementMatcher<? super TypeDescription> types() {
        return types;
    }

    public final ElementMatcher<? super MethodDescription> methods() {
        return methods;
    }

    public final String adviceClass() {
        return adviceClass;
    }

    public final String[] jdkTypes() {
        return jdkTypes.clone();
    }

    /** Whether the hook transforms JDK classes (retransformed at start) rather than application classes. */
    public final boolean hooksJdk() {
        return jdkTypes.length > 0;
    }

    /** Gets ready before the hooks go live (reflection set up once); the default does nothing. */
    protected void prepare(HookContext context) {
    }

    /**
     * Runs this hook's own code paths once before the hooks go live, so that no hook path loads a class
     * later; the agent's checks record nothing meanwhile (the gates are warmed up in dry mode first).
     */
    protected void warmUp(HookContext context) {
    }

    /**
     * An enforcement hook's decision (see {@link dev.moat.bridge.MoatDispatcher#check}): null, a Throwable
     * to throw, or another value to skip the method. Never called re-entrantly or on the agent's threads.
     */
    protected Object check(HookContext context, String method, Object self, Object a0, Object a1, Object a2) {
        return null;
    }

    /** A replacing hook's replacement for {@code value}; the default leaves it alone. */
    protected Object replace(HookContext context, Object self, Object value) {
        return value;
    }

    /** A scope hook's method begins; returns the scope handed to {@link #exit}. */
    protected Object enter(HookContext context, Object self) {
        return null;
    }

    /** A scope hook's method ends. */
    protected void exit(HookContext context, Object self, Object scope, Throwable thrown) {
    }

    @Override
    public String toString() {
        return id;
    }
}
