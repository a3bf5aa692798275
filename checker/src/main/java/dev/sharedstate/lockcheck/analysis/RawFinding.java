package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.locks.HeldLock;
import java.util.List;

/**
 * A finding as the walker records it, before releases are known: the node to report at (a call or a
 * method reference), the blocking call's text, the catalogue entry, the locks held, the path taken,
 * and for a call that blocks inside helper methods, the chain of calls (else null). For a wait (or a
 * chain ending in one), {@code waitKey} names the lock it releases in this method's frame; a chain
 * recorded at a real lock region with a {@code waitKey} is a wait known to leave {@code locks} held.
 */
record RawFinding(
    Node at,
    Node blockingCall,
    String callText,
    BlockingMethod method,
    boolean byNameOnly,
    List<HeldLock> locks,
    List<Finding.Via> via,
    CallChain chain,
    WaitKey waitKey) {

  /** A finding with no chain through helper methods. */
  RawFinding(Node at, Node blockingCall, String callText, BlockingMethod method, boolean byNameOnly,
      List<HeldLock> locks, List<Finding.Via> via) {
    this(at, blockingCall, callText, method, byNameOnly, locks, via, null, null);
  }

  /** A finding through a chain of helper methods (no wait key). */
  RawFinding(Node at, Node blockingCall, String callText, BlockingMethod method, boolean byNameOnly,
      List<HeldLock> locks, List<Finding.Via> via, CallChain chain) {
    this(at, blockingCall, callText, method, byNameOnly, locks, via, chain, null);
  }

  RawFinding withLocks(List<HeldLock> l) {
    return new RawFinding(at, blockingCall, callText, method, byNameOnly, l, via, chain, waitKey);
  }
}
