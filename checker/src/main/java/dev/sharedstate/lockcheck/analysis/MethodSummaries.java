package dev.sharedstate.lockcheck.analysis;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-wide memo of "does a call to this method block, and how", for the methods and constructors
 * of files parsed by the source index (shared by the analysis threads). Keyed by file and position,
 * not by syntax node, so the memo keeps no tree alive. Methods of the file being analysed are memoised
 * by that file's own {@link CallFollower} instead. Thread-safe.
 */
public final class MethodSummaries {

  private final ConcurrentHashMap<String, Optional<CallChain>> done = new ConcurrentHashMap<>();

  Optional<CallChain> get(String key) {
    return done.get(key);
  }

  void put(String key, Optional<CallChain> summary) {
    done.putIfAbsent(key, summary);
  }
}
