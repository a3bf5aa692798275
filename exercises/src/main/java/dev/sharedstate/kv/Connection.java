package dev.sharedstate.kv;

import dev.sharedstate.kv.command.Command;
import dev.sharedstate.kv.command.Commands;
import dev.sharedstate.kv.command.Session;
import dev.sharedstate.kv.pubsub.Outbox;
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
 * write the reply. Replies are flushed whenever the reader is about to wait for more bytes, so a
 * pipeline shares one write and every complete request is answered at once. The Java counterpart of
 * the lesson's {@code process(socket, db)}.
 */
final class Connection implements Runnable {
  private static final System.Logger LOG = System.getLogger("dev.sharedstate.kv");
  private static final int FLUSH_THRESHOLD = 64 * 1024;
  private static final int LINGER_MILLIS = 500;
  private static final int LINGER_MAX_BYTES = 1024 * 1024;

  private final Socket socket;
  private final ServerConfig config;
  private final Runnable onClose;
  private Session session;
  private volatile Outbox outbox;
  private Thread outboxWriter;

  Connection(Socket socket, ServerConfig config, Runnable onClose) {
    this.socket = socket;
    this.config = config;
    this.onClose = onClose;
  }

  void session(Session session) {
    this.session = session;
  }

  Session session() {
    return session;
  }

  /** Called by the session on its first SUBSCRIBE: from then on a thread of its own writes to the socket. */
  Outbox openOutbox() throws IOException {
    var box = new Outbox(Outbox.DEFAULT_LIMIT, this::close);
    outboxWriter = box.start(socket.getOutputStream(), Thread.currentThread().getName() + "-out");
    outbox = box;
    return box;
  }

  @Override
  public void run() {
    // The socket is closed by try-with-resources before any catch clause runs, so the protocol error
    // is answered inside the try block, while the socket is still open.
    try (socket) {
      var reader = new RespReader(socket.getInputStream(), config.limits(), session::authenticated);
      var writer = new RespWriter(socket.getOutputStream());
      try {
        serve(reader, writer);
      } catch (ProtocolException e) {
        writer.error("ERR Protocol error: " + e.getMessage());
        writer.flush();
        if (outbox != null) closeOutbox();
        else lingerThenClose();
      }
    } catch (EOFException | SocketException e) {
      // The client went away (mid-request, or reset): nothing to answer.
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connection " + session.id() + " failed", e);
    } finally {
      session.endSubscriptions();
      if (outbox != null) outbox.close(); // its thread ends too, however the connection ended
      onClose.run();
    }
  }

  private void serve(RespReader reader, RespWriter writer) throws IOException {
    var args = new Args();
    while (reader.read(args, writer::flush)) {
      long mark = writer.mark();
      try {
        Command command = Commands.parse(args, session);
        session.server().commandProcessed();
        command.execute(session, writer);
      } catch (StoreException e) {
        writer.rewind(mark);
        writer.error("ERR " + e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        // A bug in the store (an exercise's code, most likely): tell the client, keep serving.
        writer.rewind(mark);
        writer.error("ERR server error: " + e);
        LOG.log(System.Logger.Level.WARNING, "command " + args + " failed", e);
      } catch (OutOfMemoryError e) {
        writer.rewind(mark);
        writer.error("ERR out of memory while running the command (the JVM's heap is full; "
            + "lower maxmemory or raise -Xmx)");
      }
      if (session.takeShowToMonitors()) {
        if (session.monitoring()) writer.flush(); // a monitor's own command: its reply comes first, as in Redis
        session.server().monitors().feed(session.address(), args);
      }
      args.clear(); // do not keep this request's arguments alive while waiting for the next one
      if (session.closing()) break;
      if (writer.buffered() > FLUSH_THRESHOLD) writer.flush();
    }
    session.endSubscriptions(); // before the last reply goes out: once QUIT is answered, nothing more is published to it
    writer.flush();
    if (outbox != null) closeOutbox();
  }

  /** Lets the outbox's thread write what is queued (for a second at most) before the socket closes. */
  private void closeOutbox() {
    session.endSubscriptions();
    outbox.close();
    try {
      outboxWriter.join(java.time.Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
