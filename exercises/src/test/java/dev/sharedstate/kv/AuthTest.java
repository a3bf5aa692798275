package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** --requirepass and protected mode (issue 15, item 7's last point). */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthTest {

  @Test
  @DisplayName("with a password, commands wait for AUTH pw or AUTH default pw, as in Redis 7")
  void requirePass() throws Exception {
    try (var server = KvServer.start(ServerConfig.ephemeral().withRequirePass("pw"), new MapStore());
        var c = new RespClient(server.port())) {
      assertEquals("-NOAUTH Authentication required.\r\n", c.call("GET", "k"));
      assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.call("AUTH", "nope"));
      assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.call("AUTH", "admin", "pw"));
      assertEquals("+OK\r\n", c.call("AUTH", "default", "pw"));
      assertEquals("$-1\r\n", c.call("GET", "k"));
      try (var jedis = new Jedis("127.0.0.1", server.port())) {
        jedis.auth("pw");
        assertEquals("OK", jedis.set("k", "v"));
      }
    }
  }

  @Test
  @DisplayName("protected mode without a password: a client from another machine gets Redis's -DENIED and is closed")
  void protectedModeDeniesRemoteClients() throws Exception {
    // Tests listen on loopback only, so the server is told to treat every client as remote.
    try (var server = KvServer.start(ServerConfig.ephemeral(), MapStore::new, address -> false);
        var c = new RespClient(server.port())) {
      c.send(RespClient.request("PING"));
      assertEquals(KvServer.DENIED, c.readUntilClosed());
    }
    try (var server = KvServer.start(ServerConfig.ephemeral().withRequirePass("pw"), MapStore::new, address -> false);
        var c = new RespClient(server.port())) {
      assertEquals("-NOAUTH Authentication required.\r\n", c.call("PING"), "with a password, remote clients may AUTH");
    }
    try (var server = KvServer.start(ServerConfig.ephemeral().withProtectedMode(false), MapStore::new, address -> false);
        var c = new RespClient(server.port())) {
      assertEquals("+PONG\r\n", c.call("PING"), "protected mode off: served");
    }
  }
}
