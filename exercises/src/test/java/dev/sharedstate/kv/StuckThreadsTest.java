package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.exercises.grading.Grader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StuckThreadsTest {
  @Test
  @DisplayName("the timeout report shows the stack of a connection's virtual thread stuck in the store")
  void dumpShowsStuckVirtualThread() throws Exception {
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Store stuck = new Store() {
      @Override
      public Entry get(String key) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }

      @Override
      public Entry update(String key, UnaryOperator<Entry> change) {
        return change.apply(null);
      }
    };
    try (KvServer server = KvServer.start(ServerConfig.ephemeral(), stuck);
        var s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(entered.await(5, TimeUnit.SECONDS));
      String dump = Grader.stuckThreads();
      release.countDown();
      assertTrue(dump.contains("CountDownLatch.await") && dump.contains("Connection.serve"), dump);
    }
  }
}
