package dev.sharedstate.lockcheck.blocking;

import java.util.List;

/**
 * One catalogued blocking method: calls of {@code method} on a receiver whose type is {@code owner}
 * or a subtype of it block, when the argument count is one of {@code arities} (empty: any count).
 *
 * @param releases what the wait releases while it waits (most calls release nothing)
 * @param why a few words for diagnostics: what the call waits for
 */
public record BlockingMethod(
    String owner, String method, List<Integer> arities, Releases releases, String why) {

  public BlockingMethod {
    arities = List.copyOf(arities);
  }

  /** True when a call with {@code argCount} arguments is one of the catalogued overloads. */
  public boolean acceptsArity(int argCount) {
    return arities.isEmpty() || arities.contains(argCount);
  }

  /** {@code Thread.sleep}: the owner's simple name and the method, for messages. */
  public String displayName() {
    return owner.substring(owner.lastIndexOf('.') + 1) + "." + method;
  }

  /** What a waiting call gives up while it waits. */
  public enum Releases {
    /** Nothing: every held lock stays held. */
    NOTHING,
    /** {@code Object.wait()}: the monitor of the receiver. */
    RECEIVER_MONITOR,
    /** {@code TimeUnit.timedWait(obj, t)}: the monitor of the first argument. */
    ARGUMENT_MONITOR,
    /** {@code Condition.await()}: the lock whose {@code newCondition()} made the receiver. */
    CONDITION_LOCK
  }
}
