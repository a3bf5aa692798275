package dev.sharedstate.kv;

import dev.sharedstate.kv.command.Command;
import dev.sharedstate.kv.command.Commands;
import dev.sharedstate.kv.command.Session;
import dev.sharedstate.kv.resp.Args;
import dev.sharedstate.kv.resp.ProtocolException;
import dev.sharedstate.kv.resp.RespReader;
import dev.sharedstate.kv.resp.RespWriter;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;

/**
 * One client connection, served by its own virtual thread: read a request, run it against the store,
 * write the reply; flush once no more requests are buffered (so pipelined requests share one write).
 * The Java counterpart of the lesson's {@code process(socket, db)}.
 */
final class Connection implements Runnable {
  private static final System.Logger LOG = System.getLogger("dev.sharedstate.kv");
  private static final int FLUSH_THRESHOLD = 64 * 1024;
  private static final int LINGER_MILLIS = 500;
  private static final int LINGER_MAX_BYTES = 1024 * 1024;

  private final Socket socket;
  private final Session session;
  private final ServerConfig config;
  private final Runnable onClose;

  Connection(Socket socket, Session session, ServerConfig config, Runnable onClose) {
    this.socket = socket;
    this.session = session;
    this.config = config;
    this.onClose = onClose;
  }

  @Override
  public void run() {
    // The socket is closed by try-with-resources before any catch clause runs, so the protocol error
    // is answered inside the try block, while the socket is still open.
    try (socket) {
      var reader = new RespReader(socket.getInputStream(), config.limits());
      var writer = new RespWriter(socket.getOutputStream());
      try {
        serve(reader, writer);
      } catch (ProtocolException e) {
        writer.error("ERR Protocol error: " + e.getMessage());
        writer.flush();
        lingerThenClose();
      }
    } catch (EOFException | SocketException e) {
      // The client went away (mid-request, or reset): nothing to answer.
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection " + session.id() + " failed", e);
    } finally {
      onClose.run();
    }
  }

  private void serve(RespReader reader, RespWriter writer) throws IOException {
      var args = new Args();
      while (reader.read(args)) {
        Command command = Commands.parse(args);
        int mark = writer.mark();
        try {
          command.execute(session, writer);
        } catch (StoreException e) {
          writer.rewind(mark);
          writer.error("ERR " + e.getMessage());
        } catch (RuntimeException e) {
          // A bug in the store (an exercise's code, most likely): tell the client, keep serving.
          writer.rewind(mark);
          writer.error("ERR server error: " + e);
          LOG.log(System.Logger.Level.WARNING, "command " + args + " failed", e);
        }
        if (session.closing()) break;
        if (!reader.hasBufferedInput() || writer.buffered() > FLUSH_THRESHOLD) writer.flush();
      }
      writer.flush();
  }

  /**
   * Sends FIN after the error reply and discards what the client still sends for a moment, bounded in
   * time and bytes. Closing with unread input would send a TCP reset, and a reset can make the client's
   * kernel drop the error reply before the client reads it.
   */
  private void lingerThenClose() throws IOException {
    socket.shutdownOutput();
    socket.setSoTimeout(LINGER_MILLIS);
    var in = socket.getInputStream();
    byte[] sink = new byte[8192];
    long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
    int total = 0;
    try {
      int n;
      while (total < LINGER_MAX_BYTES && System.nanoTime() < deadline && (n = in.read(sink)) >= 0) total += n;
    } catch (java.net.SocketTimeoutException ignored) {
      // The client kept the connection open without sending: close it anyway.
    }
  }

  /** Closes the socket: the connection's thread ends at its next read or write. */
  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }
}
