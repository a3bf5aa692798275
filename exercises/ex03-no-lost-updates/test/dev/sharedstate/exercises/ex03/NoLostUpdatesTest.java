package dev.sharedstate.exercises.ex03;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

@DisplayName("ex03 no lost updates")
@Exercise(id = "ex03-no-lost-updates", chapter = "chapters/06-contention-and-sharding.md", starter = NoLostUpdates.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NoLostUpdatesTest {
  static final int CLIENTS = 50;
  static final int INCRS = 400;

  @Test
  @DisplayName("50 clients each send INCR counter 400 times at once: the counter ends at exactly 20,000")
  void noLostIncrements(ServerFactory factory) throws Exception {
    try (KvServer server = factory.start(ServerConfig.ephemeral());
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var go = new CountDownLatch(1);
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < CLIENTS; c++) {
        done.add(pool.submit(() -> {
          try (var j = new Jedis("127.0.0.1", server.port(), 10_000)) {
            j.ping();
            go.await();
            // Pipelined in small batches: many INCRs in flight on every connection at once.
            for (int sent = 0; sent < INCRS; sent += 20) {
              Pipeline p = j.pipelined();
              for (int i = 0; i < 20; i++) p.incr("counter");
              p.sync();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (var f : done) f.get();
      try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
        long got = Long.parseLong(j.get("counter"));
        assertEquals((long) CLIENTS * INCRS, got,
            "50 clients sent 20,000 INCR counter in all; GET counter then returned " + got + ": "
                + ((long) CLIENTS * INCRS - got) + " increments were lost (two clients read the same old value)");
      }
    }
  }
}
