package dev.moat.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What each hook really did: the classes it was applied to and the failures. A hook is reported as
 * applied only when Byte Buddy transformed a class and at least one method matched the advice.
 */
public final class HookStatus {

    /** The state of one hook. */
    public enum State { APPLIED, WAITING, FAILED }

    private final Map<String, List<String>> appliedTo = new ConcurrentHashMap<>();
    private final Map<String, List<String>> failures = new ConcurrentHashMap<>();

    void applied(String hookId, String typeName) {
        appliedTo.computeIfAbsent(hookId, k -> new CopyOnWriteArrayList<>()).add(typeName);
    }

    void failed(String hookId, String reason) {
        failures.computeIfAbsent(hookId, k -> new CopyOnWriteArrayList<>()).add(reason);
    }

    /** The state of a hook now. */
    public State state(String hookId) {
        if (failures.containsKey(hookId)) {
            return State.FAILED;
        }
        return appliedTo.containsKey(hookId) ? State.APPLIED : State.WAITING;
    }

    /** Classes the hook was applied to. */
    public List<String> appliedTo(String hookId) {
        return new ArrayList<>(appliedTo.getOrDefault(hookId, List.of()));
    }

    /** Why the hook failed, if it did. */
    public List<String> failures(String hookId) {
        return new ArrayList<>(failures.getOrDefault(hookId, List.of()));
    }
}
