package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 7: lengths are read as Redis's {@code string2ll} reads them. Checked here over raw
 * sockets without redis-server; {@link RedisCompatibilityTest} compares the same cases with it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProtocolLimitsTest {
  private KvServer server;

  @BeforeEach
  void start() throws Exception {
    server = KvServer.start(ServerConfig.ephemeral(), new MapStore());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String closing(String request) throws Exception {
    try (var c = new RespClient(server.port())) {
      c.send(request.getBytes(StandardCharsets.ISO_8859_1));
      return c.readUntilClosed();
    }
  }

  @Test
  @DisplayName("*01 and $04 (leading zeros) are refused, as Redis refuses them")
  void leadingZeros() throws Exception {
    assertEquals("-ERR Protocol error: invalid multibulk length\r\n", closing("*01\r\n$4\r\nPING\r\n"));
    assertEquals("-ERR Protocol error: invalid bulk length\r\n", closing("*1\r\n$04\r\nPING\r\n"));
    assertEquals("-ERR Protocol error: invalid multibulk length\r\n", closing("*+1\r\n$4\r\nPING\r\n"));
  }

  @Test
  @DisplayName("*9999999999999999999 is refused, not wrapped around to a negative count")
  void overflow() throws Exception {
    assertEquals("-ERR Protocol error: invalid multibulk length\r\n", closing("*9999999999999999999\r\n"));
    assertEquals("-ERR Protocol error: invalid bulk length\r\n", closing("*1\r\n$99999999999999999999\r\n"));
    assertEquals("-ERR Protocol error: invalid multibulk length\r\n", closing("*2147483648\r\n"));
  }

  @Test
  @DisplayName("a count up to INT_MAX is accepted (Redis 7 has no 1,048,576 limit) and costs nothing until arguments arrive")
  void largeCountAccepted() throws Exception {
    try (var c = new RespClient(server.port())) {
      c.send("*2000000\r\n".getBytes(StandardCharsets.US_ASCII));
      org.junit.jupiter.api.Assertions.assertTrue(c.quietFor(300), "no error: the server waits for the arguments");
    }
  }

  @Test
  @DisplayName("APPEND may not grow a string beyond the bulk length limit: Redis's error, the string unchanged (it was an int overflow at 2 GiB)")
  void appendStopsAtTheBulkLimit() throws Exception {
    var limits = new dev.sharedstate.kv.resp.Limits(1024 * 1024, Integer.MAX_VALUE, 64 * 1024);
    try (var small = KvServer.start(ServerConfig.ephemeral().withLimits(limits), new MapStore());
        var c = new RespClient(small.port())) {
      c.send(RespClient.request(java.util.List.of("SET".getBytes(), "k".getBytes(), new byte[1024 * 1024])));
      assertEquals("+OK\r\n", c.readReply());
      assertEquals("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", c.call("APPEND", "k", "y"));
      assertEquals(":1048576\r\n", c.call("APPEND", "k", ""), "exactly the limit is allowed");
      assertEquals(":1048576\r\n", c.call("STRLEN", "k"));
    }
  }
}
