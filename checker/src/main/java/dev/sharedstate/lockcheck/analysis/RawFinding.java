package dev.sharedstate.lockcheck.analysis;

import com.github.javaparser.ast.Node;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.locks.HeldLock;
import java.util.List;

/**
 * A finding as the walker records it, before releases are known: the node to report at (a call or a
 * method reference), the blocking call's text, the catalogue entry, the locks held, the path taken.
 */
record RawFinding(
    Node at,
    Node blockingCall,
    String callText,
    BlockingMethod method,
    boolean byNameOnly,
    List<HeldLock> locks,
    List<Finding.Via> via) {}
