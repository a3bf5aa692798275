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
    RespWriter writer = null;
    try (socket) {
      var reader = new RespReader(socket.getInputStream(), config.limits());
      writer = new RespWriter(socket.getOutputStream());
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
    } catch (ProtocolException e) {
      try {
        writer.error("ERR Protocol error: " + e.getMessage());
        writer.flush();
      } catch (IOException | RuntimeException ignored) {
        // The client is gone as well.
      }
    } catch (EOFException | SocketException e) {
      // The client went away (mid-request, or reset): nothing to answer.
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection " + session.id() + " failed", e);
    } finally {
      onClose.run();
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
