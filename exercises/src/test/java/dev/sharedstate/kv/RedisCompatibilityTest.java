package dev.sharedstate.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sends the request/reply cases of {@code redis-compat.txt} over raw sockets to our server and to a
 * real {@code redis-server} (Debian's 7.0; the test is skipped when it is not installed), and compares
 * the replies byte for byte. The cases file says how it is written. Where this server deliberately
 * answers differently, the case is marked {@code !} with our expected reply and the reason, and the
 * test checks that we give exactly that.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisCompatibilityTest {
  private static final String PASSWORD = "s3cret";
  private static final List<Process> redis = new ArrayList<>();
  private static final List<Path> redisDirs = new ArrayList<>();
  private static final Map<String, Integer> redisPorts = new HashMap<>();
  private static final List<KvServer> ours = new ArrayList<>();
  private static final Map<String, Integer> ourPorts = new HashMap<>();

  static boolean hasRedisServer() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) return true;
    }
    return false;
  }

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(hasRedisServer(), "redis-server is not installed (apt-get install redis-server); skipping the comparison");
    startPair("open", null);
    startPair("auth", PASSWORD);
  }

  private static void startPair(String name, String password) throws Exception {
    var config = ServerConfig.ephemeral().withRequirePass(password);
    var server = KvServer.start(config, new MapStore());
    ours.add(server);
    ourPorts.put(name, server.port());
    redisPorts.put(name, startRedis(password));
  }

  /** Starts redis-server on a free port (it cannot pick one itself: --port 0 turns TCP off). */
  static int startRedis(String password) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (var probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      var cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
          "--dir", redisDir().toString())); // a SAVE never writes into the module
      if (password != null) cmd.addAll(List.of("--requirepass", password));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      redis.add(p);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && p.isAlive()) {
        try (var c = new RespClient(port)) {
          String reply = c.call("PING");
          if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) return port;
        } catch (IOException e) {
          Thread.sleep(50);
        }
      }
      p.destroy();
    }
    throw new IllegalStateException("redis-server did not start");
  }

  private static Path redisDir() throws IOException {
    Path dir = Files.createTempDirectory("redis-compat");
    redisDirs.add(dir);
    return dir;
  }

  @AfterAll
  static void stop() throws InterruptedException, IOException {
    ours.forEach(KvServer::close);
    for (Process p : redis) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (Path dir : redisDirs) {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
      }
    }
  }

  /** One line of the cases file, parsed. */
  record Case(int line, String text, int connection, String kind, byte[] request, boolean unordered,
      String expectedOurs, String reason) {}

  @Test
  @DisplayName("every case of redis-compat.txt gets the same reply bytes from our server as from redis-server 7")
  void sameRepliesAsRedis() throws Exception {
    var groups = parse(read());
    int compared = 0;
    int deliberate = 0;
    var failures = new ArrayList<String>();
    for (var group : groups) {
      String server = group.get(0).text().startsWith("#auth") ? "auth" : "open";
      var cases = group.get(0).text().startsWith("#") ? group.subList(1, group.size()) : group;
      var oursOut = run(ourPorts.get(server), cases);
      var redisOut = run(redisPorts.get(server), cases);
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        if (c.kind().equals("SLEEP")) continue;
        String o = oursOut.get(i);
        String r = redisOut.get(i);
        if (c.expectedOurs() != null) {
          deliberate++;
          if (!o.equals(c.expectedOurs())) {
            failures.add("line " + c.line() + ": " + c.text() + "\n   ours:     " + show(o) + "\n   expected: "
                + show(c.expectedOurs()) + " (a deliberate difference: " + c.reason() + ")");
          } else if (o.equals(r)) {
            failures.add("line " + c.line() + ": " + c.text() + " is marked as a difference, but redis-server now agrees: "
                + show(r) + "; drop the mark");
          }
        } else {
          compared++;
          if (!o.equals(r)) {
            failures.add("line " + c.line() + ": " + c.text() + "\n   ours:  " + show(o) + "\n   redis: " + show(r));
          }
        }
      }
    }
    System.out.println("redis-compat: " + compared + " replies compared byte for byte, " + deliberate
        + " deliberate differences checked");
    if (!failures.isEmpty()) fail(failures.size() + " of " + compared + " replies differ:\n" + String.join("\n", failures));
    assertTrue(compared > 250, "the table should compare well over 140 replies, compared " + compared);
  }

  /** Runs one group's cases on fresh connections (after FLUSHALL); returns each case's reply. */
  private static List<String> run(int port, List<Case> cases) throws Exception {
    var replies = new ArrayList<String>();
    var conns = new HashMap<Integer, RespClient>();
    try {
      try (var admin = new RespClient(port)) {
        admin.call("AUTH", PASSWORD); // an error on the server without a password: harmless
        admin.call("FLUSHALL");
      }
      for (Case c : cases) {
        RespClient conn = conns.get(c.connection());
        if (conn == null) {
          conn = new RespClient(port);
          conns.put(c.connection(), conn);
        }
        String reply;
        switch (c.kind()) {
          case "SLEEP" -> {
            Thread.sleep(Long.parseLong(new String(c.request(), StandardCharsets.US_ASCII)));
            reply = "";
          }
          case "READ" -> reply = conn.readReply();
          case "QUIET" -> reply = conn.quietFor(200) ? "<nothing>" : "<something>";
          case "CLOSE" -> {
            conn.send(c.request());
            reply = conn.readUntilClosed();
          }
          case "SCANALL" -> reply = scanAll(conn, c.request());
          default -> {
            conn.send(c.request());
            reply = conn.readReply();
            for (int k = 1; c.kind().equals("CMD") && k < replyCount(c); k++) reply += conn.readReply();
          }
        }
        if (c.unordered()) reply = sorted(reply);
        replies.add(reply);
      }
    } finally {
      for (RespClient conn : conns.values()) conn.close();
    }
    return replies;
  }

  /** (P)(UN)SUBSCRIBE a b c replies once per channel; everything else once. */
  private static int replyCount(Case c) {
    List<byte[]> args = parseRequest(c.request());
    String name = new String(args.get(0), StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
    return name.matches("P?(UN)?SUBSCRIBE") ? Math.max(1, args.size() - 1) : 1;
  }

  /** The arguments of a RESP array request built by {@link RespClient#request}. */
  private static List<byte[]> parseRequest(byte[] request) {
    String r = new String(request, StandardCharsets.ISO_8859_1);
    var args = new ArrayList<byte[]>();
    int i = r.indexOf("\r\n") + 2;
    while (i < r.length()) {
      int eol = r.indexOf("\r\n", i);
      int n = Integer.parseInt(r.substring(i + 1, eol));
      args.add(r.substring(eol + 2, eol + 2 + n).getBytes(StandardCharsets.ISO_8859_1));
      i = eol + 2 + n + 2;
    }
    return args;
  }

  /** A whole SCAN iteration with the given options: the set of keys it returned, sorted, as one array. */
  private static String scanAll(RespClient conn, byte[] options) throws IOException {
    var keys = new TreeSet<String>();
    String cursor = "0";
    int calls = 0;
    do {
      var args = new ArrayList<String>(List.of("SCAN", cursor));
      String opts = new String(options, StandardCharsets.ISO_8859_1).strip();
      if (!opts.isEmpty()) args.addAll(List.of(opts.split(" ")));
      String reply = conn.call(args.toArray(String[]::new));
      var parts = bulkStrings(reply);
      cursor = parts.get(0);
      keys.addAll(parts.subList(1, parts.size()));
      if (++calls > 100_000) throw new IllegalStateException("SCAN did not end");
    } while (!cursor.equals("0"));
    var b = new StringBuilder("*" + keys.size() + "\r\n");
    for (String k : keys) b.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
    return b.toString();
  }

  /** The bulk strings of a (possibly nested) array reply, in order. */
  private static List<String> bulkStrings(String reply) {
    var out = new ArrayList<String>();
    int i = 0;
    while (i < reply.length()) {
      int eol = reply.indexOf("\r\n", i);
      String line = reply.substring(i, eol);
      i = eol + 2;
      if (line.startsWith("$")) {
        int n = Integer.parseInt(line.substring(1));
        if (n >= 0) {
          out.add(reply.substring(i, i + n));
          i += n + 2;
        }
      }
    }
    return out;
  }

  /** An array reply with its elements sorted (for replies whose order Redis does not define). */
  private static String sorted(String reply) {
    if (!reply.startsWith("*")) return reply;
    var items = new ArrayList<String>();
    int i = reply.indexOf("\r\n") + 2;
    while (i < reply.length()) {
      int eol = reply.indexOf("\r\n", i);
      String line = reply.substring(i, eol + 2);
      if (line.startsWith("$") && !line.startsWith("$-1")) {
        int n = Integer.parseInt(line.substring(1, line.length() - 2));
        items.add(reply.substring(i, eol + 2 + n + 2));
        i = eol + 2 + n + 2;
      } else {
        items.add(line);
        i = eol + 2;
      }
    }
    Collections.sort(items);
    return reply.substring(0, reply.indexOf("\r\n") + 2) + String.join("", items);
  }

  private static String show(String s) {
    String t = s.replace("\r", "\\r").replace("\n", "\\n");
    return t.length() > 300 ? t.substring(0, 300) + "...(" + s.length() + " bytes)" : t;
  }

  private static String read() throws IOException {
    try (InputStream in = RedisCompatibilityTest.class.getResourceAsStream("redis-compat.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Groups of cases, separated by blank lines; comment lines start with "//". */
  static List<List<Case>> parse(String text) {
    var groups = new ArrayList<List<Case>>();
    var group = new ArrayList<Case>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.startsWith("//")) continue;
      if (line.isEmpty()) {
        if (!group.isEmpty()) groups.add(group);
        group = new ArrayList<>();
        continue;
      }
      if (line.startsWith("#")) {
        group.add(new Case(n + 1, line, 0, "HEADER", null, false, null, null));
        continue;
      }
      group.add(parseCase(n + 1, line));
    }
    if (!group.isEmpty()) groups.add(group);
    return groups;
  }

  private static Case parseCase(int lineNo, String line) {
    String text = line;
    String expected = null;
    String reason = null;
    int conn = 1;
    boolean unordered = false;
    if (line.startsWith("!")) {
      int arrow = line.indexOf(" => ");
      int hash = line.lastIndexOf(" # ");
      if (arrow < 0 || hash < arrow) throw new IllegalArgumentException("line " + lineNo + ": a '!' case needs ' => REPLY # reason'");
      expected = unescape(line.substring(arrow + 4, hash).strip());
      reason = line.substring(hash + 3).strip();
      line = line.substring(1, arrow).strip();
    }
    if (line.startsWith("@")) {
      conn = line.charAt(1) - '0';
      line = line.substring(2).strip();
    }
    if (line.startsWith("~")) {
      unordered = true;
      line = line.substring(1).strip();
    }
    String word = line.split(" ", 2)[0];
    String rest = line.length() > word.length() ? line.substring(word.length() + 1) : "";
    return switch (word) {
      case "RAW", "CLOSE" -> new Case(lineNo, text, conn, word, unescape(rest).getBytes(StandardCharsets.ISO_8859_1), unordered, expected, reason);
      case "READ", "QUIET" -> new Case(lineNo, text, conn, word, new byte[0], unordered, expected, reason);
      case "SLEEP", "SCANALL" -> new Case(lineNo, text, conn, word, rest.getBytes(StandardCharsets.ISO_8859_1), unordered, expected, reason);
      default -> new Case(lineNo, text, conn, "CMD", RespClient.request(split(line)), unordered, expected, reason);
    };
  }

  /** Splits on blanks; "double quotes" hold blanks and the escapes \r \n \t \\ \" \xHH; "" is an empty argument. */
  static List<byte[]> split(String line) {
    var args = new ArrayList<byte[]>();
    int i = 0;
    while (i < line.length()) {
      while (i < line.length() && line.charAt(i) == ' ') i++;
      if (i >= line.length()) break;
      var b = new StringBuilder();
      if (line.charAt(i) == '"') {
        int j = i + 1;
        while (j < line.length() && line.charAt(j) != '"') {
          if (line.charAt(j) == '\\') {
            b.append(line, j, j + 2);
            j += 2;
          } else {
            b.append(line.charAt(j++));
          }
        }
        i = j + 1;
        args.add(unescape(b.toString()).getBytes(StandardCharsets.ISO_8859_1));
      } else {
        int j = i;
        while (j < line.length() && line.charAt(j) != ' ') j++;
        args.add(line.substring(i, j).getBytes(StandardCharsets.UTF_8));
        i = j;
      }
    }
    return args;
  }

  /** \r \n \t \\ \" \xHH, and {N*c} for the char c repeated N times. */
  static String unescape(String s) {
    var b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case 'r' -> b.append('\r');
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'x' -> {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          }
          default -> b.append(e);
        }
      } else if (c == '{' && s.indexOf('*', i) > i && s.indexOf('}', i) > s.indexOf('*', i)
          && s.substring(i + 1, s.indexOf('*', i)).chars().allMatch(Character::isDigit)) {
        int star = s.indexOf('*', i);
        int close = s.indexOf('}', i);
        b.append(s.substring(star + 1, close).repeat(Integer.parseInt(s.substring(i + 1, star))));
        i = close;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String bytes(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
