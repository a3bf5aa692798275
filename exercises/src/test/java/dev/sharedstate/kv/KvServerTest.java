package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.*;

import dev.sharedstate.kv.resp.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KvServerTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private MapStore store;
  private KvServer server;

  @BeforeEach
  void start() throws IOException {
    store = new MapStore();
    server =
        KvServer.start(
            ServerConfig.ephemeral().withClock(clock::get).withLimits(new Limits(1024, 64, 256)), store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jedis jedis() {
    return new Jedis("127.0.0.1", server.port(), 5_000);
  }

  /** Sends raw bytes, half-closes, returns everything the server wrote before closing. */
  private String raw(String request) throws IOException {
    try (var socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Sends raw bytes without half-closing and reads until the server closes the connection. */
  private String rawUntilClosed(String request) throws IOException {
    try (var socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      var out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("PING, ECHO, SET and GET work from Jedis")
  void basics() {
    try (var j = jedis()) {
      assertEquals("PONG", j.ping());
      assertEquals("hi", j.echo("hi"));
      assertNull(j.get("k"));
      assertEquals("OK", j.set("k", "v"));
      assertEquals("v", j.get("k"));
      assertEquals(1, j.del("k"));
      assertFalse(j.exists("k"));
    }
  }

  @Test
  @DisplayName("SET NX/XX and EX/PX behave like Redis; expired keys are gone")
  void setOptions() {
    try (var j = jedis()) {
      assertNull(j.set("k", "a", SetParams.setParams().xx()));
      assertEquals("OK", j.set("k", "a", SetParams.setParams().nx()));
      assertNull(j.set("k", "b", SetParams.setParams().nx()));
      assertEquals("OK", j.set("k", "c", SetParams.setParams().xx().px(500)));
      assertEquals("c", j.get("k"));
      clock.addAndGet(499);
      assertEquals("c", j.get("k"));
      clock.addAndGet(1);
      assertNull(j.get("k"), "a key must expire when its PX time has passed");
      assertEquals("OK", j.set("e", "v", SetParams.setParams().ex(2)));
      clock.addAndGet(2_000);
      assertFalse(j.exists("e"));
    }
  }

  @Test
  @DisplayName("INCR counts, and refuses a non-integer value")
  void incr() {
    try (var j = jedis()) {
      assertEquals(1, j.incr("n"));
      assertEquals(2, j.incr("n"));
      j.set("s", "abc");
      var e = assertThrows(JedisDataException.class, () -> j.incr("s"));
      assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
      j.set("max", Long.toString(Long.MAX_VALUE));
      assertThrows(JedisDataException.class, () -> j.incr("max"));
    }
  }

  @Test
  @DisplayName("MSET and MGET handle several keys, missing ones as nil")
  void mgetMset() {
    try (var j = jedis()) {
      assertEquals("OK", j.mset("a", "1", "b", "2"));
      assertEquals(java.util.Arrays.asList("1", null, "2"), j.mget("a", "nope", "b"));
      assertEquals(2, j.exists("a", "b", "nope"));
      assertEquals(2, j.del("a", "b", "nope"));
    }
  }

  @Test
  @DisplayName("unknown commands and wrong arity get -ERR and the connection keeps serving")
  void errors() throws IOException {
    String reply = raw("*1\r\n$5\r\nFLUSH\r\n*1\r\n$3\r\nGET\r\n*1\r\n$4\r\nPING\r\n");
    assertTrue(reply.startsWith("-ERR unknown command"), reply);
    assertTrue(reply.contains("-ERR wrong number of arguments for 'get' command"), reply);
    assertTrue(reply.endsWith("+PONG\r\n"), reply);
  }

  @Test
  @DisplayName("inline commands (telnet style) work")
  void inline() throws IOException {
    assertEquals("+OK\r\n$5\r\nhello\r\n", raw("SET greeting \"hello\"\r\nGET greeting\r\n"));
  }

  @Test
  @DisplayName("pipelined requests all get answered, in order")
  void pipelining() throws IOException {
    var req = new StringBuilder();
    for (int i = 0; i < 200; i++) req.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
    String reply = raw(req.toString());
    assertTrue(reply.startsWith(":1\r\n:2\r\n"), reply.substring(0, Math.min(40, reply.length())));
    assertTrue(reply.endsWith(":200\r\n"));
  }

  @Test
  @DisplayName("QUIT answers +OK and closes the connection")
  void quit() throws IOException {
    assertEquals("+OK\r\n", rawUntilClosed("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n"));
  }

  @Test
  @DisplayName("a malformed frame gets -ERR Protocol error and the connection is closed")
  void malformed() throws IOException {
    String reply = rawUntilClosed("*1\r\n$x\r\nPING\r\n");
    assertTrue(reply.startsWith("-ERR Protocol error"), reply);
    String reply2 = rawUntilClosed("*2\r\n$3\r\nGET\r\n:5\r\n");
    assertTrue(reply2.startsWith("-ERR Protocol error"), reply2);
    try (var j = jedis()) {
      assertEquals("PONG", j.ping(), "the server must keep serving others");
    }
  }

  @Test
  @DisplayName("a request's arguments together are bounded: endless empty arguments get a protocol error, not an OutOfMemoryError")
  void requestSizeIsBounded() throws IOException {
    // Redis accepts *2147483647 and keeps every argument that arrives; here a request may hold 64 KiB in
    // this test (1 GiB by default), each argument counted with its overhead, however short.
    var limits = new Limits(1024, Integer.MAX_VALUE, 256, 64 * 1024);
    try (var small = KvServer.start(ServerConfig.ephemeral().withLimits(limits), new MapStore());
        var socket = new Socket("127.0.0.1", small.port())) {
      socket.setSoTimeout(5_000);
      var out = socket.getOutputStream();
      out.write("*2147483647\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] empty = "$0\r\n\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
      String reply = "";
      int sent = 0;
      try {
        for (; sent < 5_000 && socket.getInputStream().available() == 0; sent += 100) out.write(empty);
        out.flush();
        reply = new String(socket.getInputStream().readNBytes(40), StandardCharsets.UTF_8);
      } catch (SocketException closedWhileWriting) {
        fail("the server closed the connection without answering, after " + sent + " empty arguments");
      }
      // 5,000 arguments are far fewer than declared: without the limit the server would wait for more, and
      // the read above would time out
      assertTrue(reply.startsWith("-ERR Protocol error: request too big"), reply);
    }
    try (var j = jedis()) {
      assertEquals("PONG", j.ping(), "the server must keep serving others");
    }
  }

  @Test
  @DisplayName("limits on bulk, array and inline length are enforced before reading the data")
  void limits() throws IOException {
    // Declares a bulk string longer than the limit (1024) and sends none of it: the server must not wait for it.
    String bulk = rawUntilClosed("*2\r\n$4\r\nECHO\r\n$999999999\r\n");
    assertTrue(bulk.startsWith("-ERR Protocol error") && bulk.contains("bulk"), bulk);
    String array = rawUntilClosed("*1000000\r\n");
    assertTrue(array.startsWith("-ERR Protocol error") && array.contains("multibulk"), array);
    String inline = rawUntilClosed("PING " + "x".repeat(1000));
    assertTrue(inline.startsWith("-ERR Protocol error"), inline);
  }

  @Test
  @DisplayName("a client that disconnects mid-frame costs nothing")
  void midFrame() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (var s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc".getBytes(StandardCharsets.US_ASCII));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.connectedClients() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(0, server.connectedClients(), "connections that hung up mid-frame must be released");
    assertNull(store.get("k"), "a half-sent SET must not be applied");
  }

  @Test
  @DisplayName("1,000 concurrent connections are served, each on its own virtual thread")
  void thousandClients() throws Exception {
    int n = 1_000;
    var sockets = new ArrayList<Socket>(n);
    try {
      for (int i = 0; i < n; i++) {
        var s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        sockets.add(s);
      }
      // All open at once; every one of them sends a request, then all read the answers.
      for (int i = 0; i < n; i++) {
        String key = "k" + i;
        sockets.get(i).getOutputStream().write(
            ("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\nv\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      for (Socket s : sockets) {
        byte[] ok = s.getInputStream().readNBytes(5);
        assertEquals("+OK\r\n", new String(ok, StandardCharsets.US_ASCII));
      }
      assertEquals(n, server.connectedClients());
      for (int i = 0; i < n; i++) assertNotNull(store.get("k" + i));
    } finally {
      for (Socket s : sockets) s.close();
    }
  }

  @Test
  @DisplayName("redis-cli's connect-time COMMAND DOCS gets an answer, not a crash")
  void commandDocs() throws IOException {
    String reply = raw("*2\r\n$7\r\nCOMMAND\r\n$4\r\nDOCS\r\n*1\r\n$4\r\nPING\r\n");
    assertTrue(reply.endsWith("+PONG\r\n"), reply);
  }

  @Test
  @DisplayName("a store that throws gets -ERR for that command only")
  void storeThrows() throws IOException {
    server.close();
    Store broken = new Store() {
      public Entry get(String key) { throw new IllegalStateException("boom"); }
      public Entry update(String key, java.util.function.UnaryOperator<Entry> c) { throw new IllegalStateException("boom"); }
    };
    server = KvServer.start(ServerConfig.ephemeral(), broken);
    String reply = raw("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n");
    assertTrue(reply.startsWith("-ERR server error"), reply);
    assertTrue(reply.endsWith("+PONG\r\n"), reply);
  }
}
