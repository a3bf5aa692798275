package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.kv.db.Db;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SCAN's guarantee, with the index's tables growing and shrinking between the calls of an iteration. */
class KeyspaceScanTest {
  private static final long NOW = 1_000;

  @Test
  @DisplayName("every key present for a whole SCAN iteration is returned, while others come and go and tables resize")
  void scanReturnsStableKeysDespiteResizing() {
    var store = new MapStore(); // Db holds its store weakly: the test must keep it reachable
    var db = new Db(store);
    for (int i = 0; i < 500; i++) set(db, "stable:" + i);
    var seen = new HashSet<String>();
    long cursor = 0;
    int step = 0;
    do {
      cursor = db.keyspace().scan(cursor, 7, NOW, seen::add);
      // Churn: add many keys (tables grow), later delete them (tables shrink).
      if (step < 30) for (int i = 0; i < 200; i++) set(db, "churn:" + step + ":" + i);
      if (step >= 30 && step < 60) for (int i = 0; i < 200; i++) del(db, "churn:" + (step - 30) + ":" + i);
      step++;
    } while (cursor != 0);
    for (int i = 0; i < 500; i++) assertTrue(seen.contains("stable:" + i), "SCAN missed stable:" + i);
    assertTrue(step > 30, "the iteration should have spanned the churn, took " + step + " steps");
    Reference.reachabilityFence(store);
  }

  @Test
  @DisplayName("DBSIZE, KEYS and the memory estimate follow every update, deletes included")
  void indexFollowsUpdates() {
    var store = new MapStore();
    var db = new Db(store);
    set(db, "a");
    set(db, "b");
    long two = db.keyspace().memory();
    assertEquals(2, db.keyspace().size());
    del(db, "a");
    assertEquals(Set.of("b"), Set.copyOf(db.keyspace().keys(NOW)));
    assertTrue(db.keyspace().memory() < two && db.keyspace().memory() > 0);
    del(db, "b");
    assertEquals(0, db.keyspace().memory());
    Reference.reachabilityFence(store);
  }

  private static void set(Db db, String key) {
    db.update(key, current -> Entry.of(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static void del(Db db, String key) {
    db.update(key, current -> null);
  }
}
