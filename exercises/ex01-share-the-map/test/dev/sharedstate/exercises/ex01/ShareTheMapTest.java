package dev.sharedstate.exercises.ex01;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstate.exercises.grading.Exercise;
import dev.sharedstate.exercises.grading.ServerFactory;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

@DisplayName("ex01 share the map")
@Exercise(id = "ex01-share-the-map", chapter = "chapters/04-one-map-behind-a-lock.md", starter = ShareTheMap.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareTheMapTest {

  @Test
  @DisplayName("a value SET by one client is seen by GET from another client")
  void visibleAcrossConnections(ServerFactory factory) throws Exception {
    try (KvServer server = factory.start(ServerConfig.ephemeral());
        var alice = new Jedis("127.0.0.1", server.port(), 5_000);
        var bob = new Jedis("127.0.0.1", server.port(), 5_000)) {
      alice.set("greeting", "hello");
      assertEquals("hello", bob.get("greeting"),
          "client 1 sent SET greeting hello; client 2 then sent GET greeting and got "
              + "this instead of \"hello\": each connection still has its own map");
    }
  }

  @Test
  @DisplayName("50 clients each SET their own keys at once, and every key is there afterwards")
  void manyWritersAtOnce(ServerFactory factory) throws Exception {
    int clients = 50, keys = 40;
    try (KvServer server = factory.start(ServerConfig.ephemeral());
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var done = new ArrayList<Future<?>>();
      for (int c = 0; c < clients; c++) {
        int id = c;
        done.add(pool.submit(() -> {
          try (var j = new Jedis("127.0.0.1", server.port(), 5_000)) {
            for (int k = 0; k < keys; k++) j.set("c" + id + "-k" + k, "v" + k);
          }
          return null;
        }));
      }
      for (var f : done) f.get();
      try (var reader = new Jedis("127.0.0.1", server.port(), 5_000)) {
        int missing = 0;
        for (int c = 0; c < clients; c++)
          for (int k = 0; k < keys; k++) if (!("v" + k).equals(reader.get("c" + c + "-k" + k))) missing++;
        assertEquals(0, missing,
            missing + " of " + clients * keys + " keys written by 50 concurrent clients were missing or wrong"
                + " when a fresh client read them back");
      }
    }
  }
}
