package dev.sharedstate.kv.resp;

import java.io.IOException;

/**
 * The client sent bytes that are not RESP (or broke a {@link Limits limit}). The server answers
 * {@code -ERR Protocol error: <message>} and closes the connection, as Redis does: after a malformed
 * frame there is no telling where the next request starts.
 */
public final class ProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
