package dev.sharedstate.kv;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A raw-socket RESP client for tests: sends exact bytes, reads exactly one reply's bytes back. */
final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  Socket socket() {
    return socket;
  }

  /** A RESP array of bulk strings, as every client library sends. */
  static byte[] request(List<byte[]> args) {
    var b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] a : args) {
      b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(a);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    return b.toByteArray();
  }

  static byte[] request(String... args) {
    return request(java.util.Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a command and returns its reply, as text (ISO-8859-1: one char per byte). */
  String call(String... args) throws IOException {
    send(request(args));
    return readReply();
  }

  /** One complete reply's bytes, as text (ISO-8859-1). */
  String readReply() throws IOException {
    var b = new ByteArrayOutputStream();
    readValue(b);
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Everything until the server closes the connection (or 2 s pass without a byte). */
  String readUntilClosed() throws IOException {
    var b = new ByteArrayOutputStream();
    socket.setSoTimeout(2_000);
    try {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) b.write(buf, 0, n);
    } catch (SocketTimeoutException e) {
      b.writeBytes("<still open>".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      b.writeBytes(("<" + e.getMessage() + ">").getBytes(StandardCharsets.US_ASCII));
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** True if nothing arrives within {@code millis}. */
  boolean quietFor(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(5_000);
    }
  }

  private void readValue(ByteArrayOutputStream b) throws IOException {
    String line = readLine(b);
    char type = line.charAt(0);
    if (type == '$') {
      int n = Integer.parseInt(line.substring(1));
      if (n >= 0) b.writeBytes(in.readNBytes(n + 2));
    } else if (type == '*') {
      int n = Integer.parseInt(line.substring(1));
      for (int i = 0; i < n; i++) readValue(b);
    }
  }

  private String readLine(ByteArrayOutputStream b) throws IOException {
    var line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("closed after: " + b.toString(StandardCharsets.ISO_8859_1) + line);
      b.write(c);
      if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
        return line.substring(0, line.length() - 1);
      }
      line.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
