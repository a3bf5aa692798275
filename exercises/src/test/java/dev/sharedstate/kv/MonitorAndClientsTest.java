package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code MONITOR} and {@code CLIENT LIST / KILL}, whose replies hold times and ports and so cannot be
 * in the byte-for-byte table: the shapes checked here were compared with redis-server 7.0 by hand
 * (the table has the errors and the rest).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MonitorAndClientsTest {
  private static final Pattern LINE = Pattern.compile("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] (.*)\r\n");

  private static String shown(String line) {
    var m = LINE.matcher(line);
    assertTrue(m.matches(), "not a monitor line: " + line);
    return m.group(1);
  }

  @Test
  @DisplayName("MONITOR shows every command that ran, escaped as Redis does, with passwords redacted; never admin commands or refused ones")
  void monitor() throws Exception {
    try (var server = KvServer.start(ServerConfig.ephemeral(), new MapStore());
        var monitor = new RespClient(server.port());
        var client = new RespClient(server.port())) {
      assertEquals("+OK\r\n", monitor.call("MONITOR"));
      client.send(RespClient.request(java.util.List.of("SET".getBytes(), "k".getBytes(),
          new byte[] {'a', ' ', '"', '\\', '\n', 0, (byte) 0xff, '\t', 7, 8, '\r'})));
      assertEquals("+OK\r\n", client.readReply());
      client.call("get", "k");
      client.call("AUTH", "default", "secret");
      client.call("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "n");
      client.call("CONFIG", "GET", "save"); // admin: not shown
      client.call("CLIENT", "LIST"); // admin: not shown
      client.call("NOSUCH"); // refused before it ran: not shown
      client.call("GET"); // wrong number of arguments: not shown
      client.call("SET", "k", "v", "FOO"); // ran, and failed on its own options: shown
      assertEquals("\"SET\" \"k\" \"a \\\"\\\\\\n\\x00\\xff\\t\\a\\b\\r\"", shown(monitor.readReply()));
      assertEquals("\"get\" \"k\"", shown(monitor.readReply()));
      assertEquals("\"AUTH\" \"(redacted)\" \"(redacted)\"", shown(monitor.readReply()));
      assertEquals("\"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"n\"", shown(monitor.readReply()));
      assertEquals("\"SET\" \"k\" \"v\" \"FOO\"", shown(monitor.readReply()));

      // The monitor itself: keyspace commands refused (Redis treats it as a replica), others answered
      // first and then shown, a second MONITOR ignored without a reply.
      assertEquals("-ERR Replica can't interact with the keyspace\r\n", monitor.call("GET", "k"));
      assertEquals("+PONG\r\n", monitor.call("PING"));
      assertEquals("\"PING\"", shown(monitor.readReply()));
      monitor.send(RespClient.request("MONITOR"));
      assertTrue(monitor.quietFor(200), "a second MONITOR gets no reply");

      // A killed monitor is forgotten: the others keep being served.
      try (var admin = new RespClient(server.port())) {
        String id = monitor.call("CLIENT", "ID").substring(1).strip();
        shown(monitor.readReply()); // its own CLIENT ID, shown after the reply
        assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "ID", id));
        assertEquals("", monitor.readUntilClosed());
        assertEquals("+PONG\r\n", client.call("PING"));
      }
    }
  }

  @Test
  @DisplayName("CLIENT LIST and INFO describe each connection in Redis's format; CLIENT KILL by address, id and type")
  void clients() throws Exception {
    try (var server = KvServer.start(ServerConfig.ephemeral(), new MapStore());
        var a = new RespClient(server.port());
        var b = new RespClient(server.port());
        var sub = new RespClient(server.port())) {
      a.call("CLIENT", "SETNAME", "alpha");
      sub.call("SUBSCRIBE", "ch");
      String aId = a.call("CLIENT", "ID").substring(1).strip();
      String info = bulk(a.call("CLIENT", "INFO"));
      assertTrue(info.matches("id=" + aId + " addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:" + server.port()
          + " name=alpha age=\\d+ idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 cmd=client\\|info user=default"
          + " redir=-1 resp=2\n"), info);
      String list = bulk(b.call("CLIENT", "LIST"));
      assertEquals(3, list.lines().count(), list);
      assertTrue(list.contains(" name=alpha "), list);
      String pubsub = bulk(b.call("CLIENT", "LIST", "TYPE", "pubsub"));
      assertTrue(pubsub.contains(" flags=P ") && pubsub.contains(" sub=1 ") && pubsub.lines().count() == 1, pubsub);
      assertEquals("$0\r\n\r\n", b.call("CLIENT", "LIST", "ID", "999999"));

      String aAddr = info.replaceAll(".* addr=(\\S+) .*\n", "$1");
      assertEquals("-ERR No such client\r\n", b.call("CLIENT", "KILL", "127.0.0.1:1"));
      assertEquals("+OK\r\n", b.call("CLIENT", "KILL", aAddr));
      assertEquals("", a.readUntilClosed());
      assertEquals(":1\r\n", b.call("CLIENT", "KILL", "TYPE", "pubsub"));
      assertEquals("", sub.readUntilClosed());
      assertEquals(":0\r\n", b.call("CLIENT", "KILL", "TYPE", "normal"), "SKIPME yes by default");
      assertEquals(":1\r\n", b.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"));
      assertEquals("", b.readUntilClosed(), "killed after its reply");
    }
  }

  private static String bulk(String reply) {
    assertTrue(reply.startsWith("$"), reply);
    return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
  }
}
