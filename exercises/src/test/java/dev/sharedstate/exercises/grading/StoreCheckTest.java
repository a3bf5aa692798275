package dev.sharedstate.exercises.grading;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.exercises.grading.StoreCheck.Scenario;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The model-checking harness and its report, on small stores whose verdict is known. */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreCheckTest {
  /** Right: ConcurrentHashMap.compute. */
  static final class Atomic implements Store {
    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

    @Override
    public Entry get(String key) {
      return map.get(key);
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      return map.compute(key, (k, old) -> change.apply(old));
    }
  }

  /** Wrong: read, change and write in three steps. */
  static final class GetThenPut implements Store {
    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

    @Override
    public Entry get(String key) {
      return map.get(key);
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      Entry next = change.apply(map.get(key));
      if (next == null) map.remove(key);
      else map.put(key, next);
      return next;
    }
  }

  /** Wrong: a removal returns without unlocking. */
  static final class ForgetsToUnlock implements Store {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> map = new HashMap<>();

    @Override
    public Entry get(String key) {
      lock.lock();
      try {
        return map.get(key);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      lock.lock();
      Entry next = change.apply(map.get(key));
      if (next == null) {
        map.remove(key);
        return null;
      }
      map.put(key, next);
      lock.unlock();
      return next;
    }
  }

  /** Wrong: throws for one key. */
  static final class ThrowsForB implements Store {
    private final Atomic inner = new Atomic();

    @Override
    public Entry get(String key) {
      if (key.equals("b")) throw new ArrayIndexOutOfBoundsException("Index -2 out of bounds for length 3");
      return inner.get(key);
    }

    @Override
    public Entry update(String key, UnaryOperator<Entry> change) {
      return inner.update(key, change);
    }
  }

  @Test
  void aRightStorePasses() {
    assertDoesNotThrow(() -> StoreCheck.of("the store", Atomic::new).standardScenarios().randomScenarios(1)
        .invocations(20).check());
  }

  @Test
  void aLostUpdateIsShownInAFewLinesOfTheStoresOwnCode() {
    var e = assertThrows(AssertionError.class, () -> StoreCheck.of("the store", GetThenPut::new).twoIncrs()
        .invocations(30).check());
    String m = e.getMessage();
    assertTrue(m.startsWith("the store gave results that no one-at-a-time order"), m);
    assertTrue(m.contains("(scenario: two INCR of one key)"), m);
    assertTrue(m.contains("thread 1: INCR a → 1") && m.contains("thread 2: INCR a → 1"), m);
    assertTrue(m.contains("StoreCheckTest.java:"), "the steps are in the store's own file: " + m);
    assertTrue(!m.contains("ConcurrentHashMap.java"), "no JDK steps: " + m);
    assertTrue(m.lines().count() < 40 && m.length() < 5_000, m.length() + " chars:\n" + m);
  }

  @Test
  void aStuckStoreIsReportedAsStuck() {
    var e = assertThrows(AssertionError.class, () -> StoreCheck.of("the store", ForgetsToUnlock::new)
        .writesWhileReading().invocations(30).check());
    assertTrue(e.getMessage().contains("got stuck"), e.getMessage());
    assertTrue(e.getMessage().contains("(stuck)"), e.getMessage());
  }

  @Test
  void aThrowingStoreIsReportedAsThrowing() {
    var e = assertThrows(AssertionError.class, () -> StoreCheck.of("the store", ThrowsForB::new)
        .scenario(Scenario.named("GET b").thread("get b").thread("incr a")).invocations(10).check());
    assertTrue(e.getMessage().contains("GET b threw ArrayIndexOutOfBoundsException"), e.getMessage());
    assertTrue(e.getMessage().contains("Index -2 out of bounds for length 3"), e.getMessage());
  }

  @Test
  void aSubjectsOwnCheckIsReported() {
    var e = assertThrows(AssertionError.class, () -> StoreCheck.ofSubjects("the store", () -> new StoreCheck.Subject() {
      final Store store = new Atomic();

      @Override
      public Store store() {
        return store;
      }

      @Override
      public String check(List<StoreCheck.Update> updates) {
        return updates.size() == 2 ? "the log heard nothing of " + updates.size() + " updates" : null;
      }
    }).twoIncrs().invocations(5).check());
    assertTrue(e.getMessage().contains("the log heard nothing of 2 updates"), e.getMessage());
  }

  @Test
  void scenarioOperationsAreChecked() {
    var check = StoreCheck.of("the store", Atomic::new);
    assertThrows(IllegalArgumentException.class, () -> check.scenario(Scenario.named("one thread").thread("get a")));
    var bad = StoreCheck.of("the store", Atomic::new).scenario(Scenario.named("x").thread("get zz").thread("get a"));
    assertThrows(IllegalArgumentException.class, bad::check);
  }

  @Test
  void operationsReadAsCommands() {
    List<String> keys = List.of("a", "b");
    assertEquals("INCR a → 1", Interleaving.op("incr(0): 1", keys));
    assertEquals("SET b 3 → 3", Interleaving.op("set(1, 3): 3 [0,1]", keys));
    assertEquals("GET a → nil", Interleaving.op("get(0): null", keys));
    assertEquals("DEL b (stuck)", Interleaving.op("del(1): <hung>", keys));
    assertEquals("GET b threw ArrayIndexOutOfBoundsException #1", Interleaving.op("get(1): ArrayIndexOutOfBoundsException #1", keys));
  }

  @Test
  void aSwitchInsideACallIsShownAsAPauseInsideIt() {
    // Lincheck's detailed trace, cut to the columns that matter: thread 2 is switched out inside
    // map.put (after it began, before it took effect), then between two steps of its own code.
    String report = String.join("\n",
        "Detailed trace:",
        "| ------------------------------ |",
        "|   Thread 1   |   Thread 2   |",
        "| ------------------------------ |",
        "|  | incr(0): 1 |",
        "|  |     map.get(\"a\"): null at Store.update(Store.java:35) |",
        "|  |     map.put(\"a\", Entry#1): Entry#2 at Store.update(Store.java:37) |",
        "|  |       putVal(\"a\", Entry#1, false): Entry#2 at ConcurrentHashMap.put(ConcurrentHashMap.java:1018) |",
        "|  |             switch |",
        "| incr(0): 1 |  |",
        "|     map.get(\"a\"): null at Store.update(Store.java:35) |  |",
        "|     switch |  |",
        "| ------------------------------ |");
    List<String> steps = Interleaving.steps(report, List.of("a"), java.util.Set.of("Store.java"));
    assertEquals(7, steps.size(), String.join("\n", steps));
    assertTrue(steps.get(3).contains("paused inside the call above, before it took effect"), steps.get(3));
    assertTrue(steps.get(6).endsWith("(paused here: another thread runs)"), steps.get(6));
  }

  @Test
  void failuresAreClipped() {
    String many = "x\n".repeat(100);
    String clipped = Failures.clip(many, 10, 10_000);
    assertEquals(11, clipped.lines().count(), clipped);
    assertTrue(clipped.endsWith("(90 more lines cut)"), clipped);
    assertTrue(Failures.clip("y".repeat(1_000), 5, 10_000).length() < 250);
  }
}
