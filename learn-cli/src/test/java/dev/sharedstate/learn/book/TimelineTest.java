package dev.sharedstate.learn.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bars from recorded events (not from the code): exact JFR waits, sampled owners and holds, open waits. */
class TimelineTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  static Timeline.State state(long ms, long id, String thread, String st, String lock, String owner, String held) {
    return new Timeline.State(at(ms), id, thread, st, lock, owner, held, "SlowCounter.tryRead");
  }

  @Test
  void theStallAWaiterOnALockHeldByAThreadWaitingForAFuture() {
    String lock = "java.util.concurrent.locks.ReentrantLock$NonfairSync@1b2c";
    var raw = List.of(
        state(5, 2, "writer", "WAITING", "java.util.concurrent.CompletableFuture$Signaller@99", "", lock),
        state(12, 1, "main", "TIMED_WAITING", lock, "writer", ""),
        state(215, 1, "main", "RUNNABLE", "", "", ""),
        state(260, 2, "writer", "LEFT", "", "", ""),
        new Timeline.Wait(at(10), Duration.ofMillis(201), "park", "main", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
            "", "SlowCounter.tryRead", true),
        new Timeline.Wait(at(4), Duration.ofMillis(250), "park", "writer", "java.util.concurrent.CompletableFuture$Signaller",
            "", "SlowCounter.incrementAndWait", false),
        // before the run: not part of it
        new Timeline.Wait(at(-500), Duration.ofMillis(100), "sleep", "main", "", "", "the snippet", false));
    var t = Timeline.build(at(0), at(300), raw);
    assertEquals(List.of("main", "writer"), t.lanes());
    assertTrue(t.interesting());
    var wait = t.bars().stream().filter(b -> b.lane() == 0 && b.kind() == Timeline.Kind.WAIT_LOCK).findFirst().orElseThrow();
    assertEquals(10, wait.startMs());
    assertEquals(211, wait.endMs());
    assertEquals(1, wait.owner(), "main waited for writer");
    assertEquals("ReentrantLock@1b2c", wait.what());
    assertTrue(wait.timedOut());
    var hold = t.bars().stream().filter(b -> b.kind() == Timeline.Kind.HOLD).findFirst().orElseThrow();
    assertEquals(1, hold.lane());
    assertEquals(5, hold.startMs());
    assertEquals(260, hold.endMs());
    assertTrue(t.bars().stream().anyMatch(b -> b.lane() == 1 && b.kind() == Timeline.Kind.WAIT_OTHER
        && b.what().equals("a CompletableFuture")));
    assertTrue(t.bars().stream().noneMatch(b -> b.kind() == Timeline.Kind.SLEEP), "the sleep before the run is left out");
    assertEquals("main waited 201 ms for ReentrantLock@1b2c, held by writer, in SlowCounter.tryRead (it gave up at its time limit)",
        t.sentences().get(1));
    String svg = TimelineSvg.render(t);
    assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
    assertTrue(svg.contains(">main</text>") && svg.contains("marker-end=\"url(#arrow)\""), svg);
  }

  @Test
  void aDeadlockStoppedAtItsLimitShowsBothWaitsStillOpen() {
    String a = "java.lang.Object@aa";
    String b = "java.lang.Object@bb";
    var raw = List.of(
        state(100, 1, "main", "BLOCKED", b, "other", a),
        state(101, 2, "other", "BLOCKED", a, "main", b));
    var t = Timeline.build(at(0), at(5000), raw);
    var waits = t.bars().stream().filter(x -> x.kind() == Timeline.Kind.WAIT_LOCK).toList();
    assertEquals(2, waits.size(), t.toString());
    assertTrue(waits.stream().allMatch(Timeline.Bar::open));
    assertEquals(1, waits.get(0).owner());
    assertEquals(0, waits.get(1).owner());
    assertTrue(t.sentences().getFirst().startsWith("main was still waiting after 4900 ms for Object@bb, held by other"),
        t.sentences().toString());
  }

  @Test
  void aThreadThatEndsAsTheRunEndsIsNotStillWaiting() {
    var raw = List.of(
        state(10, 2, "worker", "WAITING", "java.util.concurrent.CountDownLatch$Sync@1", "", ""),
        state(305, 2, "worker", "LEFT", "", "", ""));
    var t = Timeline.build(at(0), at(300), raw);
    assertFalse(t.bars().getFirst().open(), t.toString());
    assertEquals("a CountDownLatch", t.bars().getFirst().what());
  }

  @Test
  void sleepsAloneAreNotWorthATimeline() {
    var t = Timeline.build(at(0), at(300),
        List.of(new Timeline.Wait(at(0), Duration.ofMillis(200), "sleep", "main", "", "", "the snippet", false)));
    assertFalse(t.interesting());
  }

  @Test
  void thingsFromTheSnippetAreEscapedInTheSvg() {
    var t = Timeline.build(at(0), at(100), List.of(
        state(1, 1, "<script>alert(1)</script>", "BLOCKED", "java.lang.Object@1", "", "")));
    String svg = TimelineSvg.render(t);
    assertFalse(svg.contains("<script>"), svg);
    assertTrue(svg.contains("&lt;script&gt;"), svg);
  }
}
