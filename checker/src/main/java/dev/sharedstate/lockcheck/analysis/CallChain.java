package dev.sharedstate.lockcheck.analysis;

import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.Span;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a call to a method of the analysed sources blocks: the call sites from that method's body down
 * to the blocking call (the last step), e.g. {@code close() → awaitStop() → Thread.join at
 * Worker.java:88}. Holds no syntax tree, so summaries can be cached for the whole run.
 *
 * @param head the called method as shown, {@code close()} or {@code new Worker()}
 * @param steps the call sites, each inside the method the previous one called; the last one blocks
 */
record CallChain(String head, List<Step> steps, BlockingMethod method, boolean byNameOnly, WaitKey waitKey) {

  CallChain {
    steps = List.copyOf(steps);
  }

  CallChain(String head, List<Step> steps, BlockingMethod method, boolean byNameOnly) {
    this(head, steps, method, byNameOnly, null);
  }

  /**
   * One call site of the chain.
   *
   * @param inMethod the method it is in, as shown ({@code awaitStop()})
   * @param callText the call as written
   * @param callee the method it calls, as shown; null for the blocking call that ends the chain
   */
  record Step(String inMethod, String callText, String callee, Path file, Span span) {}

  /**
   * The chain as seen from one call further up: {@code head} calls this chain's head at {@code at};
   * {@code key} is the lock its final wait releases, read in {@code newHead}'s frame (null: no wait).
   */
  CallChain calledFrom(String newHead, String callText, Path file, Span at, WaitKey key) {
    List<Step> s = new ArrayList<>(steps.size() + 1);
    s.add(new Step(newHead, callText, head, file, at));
    s.addAll(steps);
    return new CallChain(newHead, s, method, byNameOnly, key);
  }

  CallChain calledFrom(String newHead, String callText, Path file, Span at) {
    return calledFrom(newHead, callText, file, at, null);
  }

  /** The same chain with the called method shown as {@code newHead} ({@code BlockingCloser.close()}). */
  CallChain withHead(String newHead) {
    List<Step> s = new ArrayList<>(steps);
    Step first = s.get(0);
    if (first.inMethod().equals(head)) {
      s.set(0, new Step(newHead, first.callText(), first.callee(), first.file(), first.span()));
    }
    return new CallChain(newHead, s, method, byNameOnly, waitKey);
  }

  /** Calls from the first called method to the blocking call. */
  int length() {
    return steps.size();
  }

  Step last() {
    return steps.get(steps.size() - 1);
  }

  /** {@code close() → awaitStop() → Thread.join at Worker.java:88}. */
  String render() {
    StringBuilder sb = new StringBuilder(head);
    for (Step s : steps) {
      if (s.callee() != null) {
        sb.append(" → ").append(s.callee());
      }
    }
    Step end = last();
    sb.append(" → ").append(method.displayName()).append(" at ").append(end.file().getFileName()).append(':')
        .append(end.span().line());
    return sb.toString();
  }

  /** The steps as the reports show them (every step with its own file). */
  List<Finding.Via> via() {
    List<Finding.Via> out = new ArrayList<>(steps.size());
    for (Step s : steps) {
      String d = s.callee() != null
          ? "`" + s.inMethod() + "` calls `" + s.callText() + "` here"
          : "`" + s.inMethod() + "` blocks here: `" + s.callText() + "` (" + method.why() + ")";
      out.add(new Finding.Via(d, s.span(), s.file()));
    }
    return out;
  }
}
