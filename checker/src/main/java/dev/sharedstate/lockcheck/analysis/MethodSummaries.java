package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-wide memo of "does a call to this method block, and how": one entry per method or
 * constructor of a file parsed by the source index (those syntax trees live for the whole run and are
 * shared by the analysis threads). Methods of the file being analysed are memoised by that file's own
 * {@link CallFollower} instead, so their trees are not kept. Thread-safe.
 */
public final class MethodSummaries {

  /** Identity, not JavaParser's structural equality: two identical bodies in two classes differ. */
  private record Key(Node callable) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.callable == callable;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(callable);
    }
  }

  private final ConcurrentHashMap<Key, Optional<CallChain>> done = new ConcurrentHashMap<>();

  Optional<CallChain> get(Node callable) {
    Optional<CallChain> c = done.get(new Key(callable));
    return c;
  }

  boolean has(Node callable) {
    return done.containsKey(new Key(callable));
  }

  void put(Node callable, Optional<CallChain> summary) {
    done.putIfAbsent(new Key(callable), summary);
  }
}
