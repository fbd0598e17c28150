package dev.moat.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One interception point, as data: which types, which methods, which advice (by class name, so the
 * advice class is never loaded, only read and inlined), and whether the target lives in the JDK.
 *
 * @param id          stable name shown in the banner and the audit trail, for example {@code process-start}
 * @param target      the hooked method(s) for people, for example {@code java.lang.ProcessImpl#start}
 * @param types       the classes to transform
 * @param methods     the methods of those classes that receive the advice (arity pinned)
 * @param adviceClass the advice class, by name
 * @param jdkTypes    JDK classes to load eagerly at start, so that the banner can say the hook applied;
 *                    empty for application classes, which are hooked when they load
 */
public record Hook(String id, String target, ElementMatcher<? super TypeDescription> types,
                   ElementMatcher<? super MethodDescription> methods, String adviceClass, String... jdkTypes) {
}
