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
 * Issue 15, item 1: a complete request is answered at once, even while part of the next one is
 * buffered. The client never sends the rest, so a server that waits for it never answers.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PromptRepliesTest {
  private KvServer server;

  @BeforeEach
  void start() throws Exception {
    server = KvServer.start(ServerConfig.ephemeral(), new MapStore());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  @DisplayName("PING followed by half of the next PING gets +PONG without waiting for the rest")
  void inlineWithPartialNext() throws Exception {
    try (var c = new RespClient(server.port())) {
      c.send("PING\r\nPI".getBytes(StandardCharsets.US_ASCII));
      assertEquals("+PONG\r\n", c.readReply());
    }
  }

  @Test
  @DisplayName("a pipeline of 1,000 PINGs ending in a partial request gets all 1,000 replies")
  void pipelineWithPartialTail() throws Exception {
    try (var c = new RespClient(server.port())) {
      c.send(("*1\r\n$4\r\nPING\r\n".repeat(1000) + "*1\r\n$4\r\nPI").getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 1000; i++) assertEquals("+PONG\r\n", c.readReply(), "reply " + i);
    }
  }

  @Test
  @DisplayName("a GET pipelined before a large SET is answered before the SET's upload ends")
  void getBeforeLargeUpload() throws Exception {
    try (var c = new RespClient(server.port())) {
      c.call("SET", "k", "v");
      String header = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$10000000\r\n";
      var request = new java.io.ByteArrayOutputStream();
      request.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(new byte[1_000_000]); // a tenth of the value; the rest never comes
      c.send(request.toByteArray()); // one write: the GET arrives with the start of the upload
      assertEquals("$1\r\nv\r\n", c.readReply());
    }
  }
}
