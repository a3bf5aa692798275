package dev.sharedstate.kv;

/**
 * A store could not do what it was asked (for example its slow backing source failed). The client gets
 * {@code -ERR <message>} and the connection stays open, as it would in Redis.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
