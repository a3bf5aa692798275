package dev.sharedstate.lockcheck.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A lockcheck rule's metadata for the reports, and its documentation page (packaged from
 * {@code checker/docs/rules/<id>.md}, the one source, so {@code --explain} prints exactly that page).
 */
public record Rule(String id, String name, String shortDescription, String fullDescription, List<String> help) {

  public Rule {
    help = List.copyOf(help);
  }

  public static final Rule LOCK_HELD_ACROSS_BLOCKING_CALL = new Rule(
      "lock-held-across-blocking-call",
      "LockHeldAcrossBlockingCall",
      "A lock is held across a blocking call",
      "A synchronized block or method, or a java.util.concurrent lock, is held while the thread blocks "
          + "(joining a future, sleeping, taking from a queue, awaiting a latch, ...), directly or inside a "
          + "method of the analysed sources it calls. Every thread that needs the lock stalls, and it "
          + "deadlocks when the awaited work needs the lock too.",
      TextReport.HELP);

  public static final Rule BLOCKING_IN_MAP_COMPUTE = new Rule(
      "blocking-in-map-compute",
      "BlockingInMapCompute",
      "A ConcurrentHashMap compute function blocks",
      "The function given to ConcurrentHashMap.compute, computeIfAbsent, computeIfPresent or merge runs "
          + "while the map holds a lock on the key's bin; it blocks (directly or inside a method it calls). "
          + "Every other thread updating a key of that bin stalls until it returns, and one that the awaited "
          + "work needs deadlocks.",
      List.of(
          "compute the value before touching the map, then store it with putIfAbsent (the loser of a race "
              + "drops its value)",
          "or store a CompletableFuture: computeIfAbsent(k, x -> new CompletableFuture<>()) returns at once; "
              + "complete it outside the map, and let readers wait on the future, not on the map"));

  public static final Rule VIRTUAL_THREAD_PINNING = new Rule(
      "virtual-thread-pinning",
      "VirtualThreadPinning",
      "A blocking call inside synchronized pins a virtual thread (JDK 21-23)",
      "On JDK 21 to 23 a virtual thread that blocks (or calls Object.wait) while it holds a monitor "
          + "(synchronized) cannot unmount: it pins its carrier thread, and when every carrier is pinned "
          + "no virtual thread can run (JEP 444). JDK 24 removed this (JEP 491). Reported only when the "
          + "checked code targets release 21, 22 or 23 (--release, lockcheck.yaml or the pom.xml).",
      List.of(
          "replace the monitor with a java.util.concurrent.locks.ReentrantLock (virtual threads unmount while "
              + "they wait, or block, holding one), or release it before blocking",
          "or run on JDK 24 or later, where synchronized no longer pins (JEP 491)"));

  /** Every rule, in the order reports list them. */
  public static final List<Rule> ALL =
      List.of(LOCK_HELD_ACROSS_BLOCKING_CALL, BLOCKING_IN_MAP_COMPUTE, VIRTUAL_THREAD_PINNING);

  /** The page's path in the repository, as diagnostics link it. */
  public String docPath() {
    return "checker/docs/rules/" + id + ".md";
  }

  public static Optional<Rule> byId(String id) {
    return ALL.stream().filter(r -> r.id.equals(id)).findFirst();
  }

  /** The rule's documentation page, as Markdown. */
  public String documentation() {
    try (InputStream in = Rule.class.getResourceAsStream("/dev/sharedstate/lockcheck/rules/" + id + ".md")) {
      if (in == null) {
        throw new IllegalStateException("lockcheck was built without its rule page " + docPath());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
