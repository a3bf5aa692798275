package dev.sharedstate.kv.pubsub;

import dev.sharedstate.kv.resp.Args;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clients that sent {@code MONITOR}: each gets one line per command any client runs, in Redis's
 * format ({@code +1700000000.123456 [0 127.0.0.1:50412] "set" "k" "v"}), through its {@link Outbox},
 * so a slow monitor never slows the clients it watches (it is dropped when it falls too far behind, as
 * Redis drops one over its output buffer limit). With no monitor, {@link #feed} costs one check.
 */
public final class Monitors {
  private final Set<Outbox> outboxes = ConcurrentHashMap.newKeySet();

  public void add(Outbox outbox) {
    outboxes.add(outbox);
  }

  public void remove(Outbox outbox) {
    outboxes.remove(outbox);
  }

  public boolean isEmpty() {
    return outboxes.isEmpty();
  }

  /** Sends the request in {@code args}, made by the client at {@code address}, to every monitor. */
  public void feed(String address, Args args) {
    if (outboxes.isEmpty()) return;
    byte[] line = line(Instant.now(), address, args);
    for (Outbox o : outboxes) o.offer(line);
  }

  /**
   * One monitor line. As in Redis, passwords do not show: {@code AUTH}'s arguments and the two after
   * {@code HELLO}'s {@code AUTH} read {@code (redacted)}.
   */
  static byte[] line(Instant when, String address, Args args) {
    var b = new ByteArrayOutputStream(64);
    write(b, "+" + when.getEpochSecond() + "." + String.format("%06d", when.getNano() / 1000) + " [0 " + address + "]");
    var redact = new boolean[args.count()];
    if (Args.equalsIgnoreCase(args.get(0), "AUTH")) {
      for (int i = 1; i < redact.length; i++) redact[i] = true;
    } else if (Args.equalsIgnoreCase(args.get(0), "HELLO")) {
      for (int i = 2; i + 2 < redact.length; i++) {
        if (Args.equalsIgnoreCase(args.get(i), "AUTH")) redact[i + 1] = redact[i + 2] = true;
      }
    }
    for (int i = 0; i < args.count(); i++) {
      b.write(' ');
      if (redact[i]) write(b, "\"(redacted)\"");
      else repr(b, args.get(i));
    }
    write(b, "\r\n");
    return b.toByteArray();
  }

  /** Redis's {@code sdscatrepr}: quoted, with {@code \\ \" \n \r \t \a \b} and {@code \xHH} escapes. */
  static void repr(ByteArrayOutputStream b, byte[] s) {
    b.write('"');
    for (byte x : s) {
      int c = x & 0xff;
      switch (c) {
        case '\\' -> write(b, "\\\\");
        case '"' -> write(b, "\\\"");
        case '\n' -> write(b, "\\n");
        case '\r' -> write(b, "\\r");
        case '\t' -> write(b, "\\t");
        case 7 -> write(b, "\\a");
        case '\b' -> write(b, "\\b");
        default -> {
          if (c >= 0x20 && c < 0x7f) b.write(c);
          else write(b, String.format("\\x%02x", c));
        }
      }
    }
    b.write('"');
  }

  private static void write(ByteArrayOutputStream b, String ascii) {
    b.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
