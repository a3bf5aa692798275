package dev.sharedstate.kv.resp;

/**
 * How much one client may send in one request, checked before anything is allocated for it. The
 * defaults are Redis 7's own: 512 MiB per bulk string ({@code proto-max-bulk-len}), up to {@code
 * INT_MAX} arguments per request (the argument list grows with the arguments that actually arrive, so
 * a large count costs nothing by itself), 64 KiB per inline command ({@code PROTO_INLINE_MAX_SIZE}).
 *
 * @param maxBulkLength the longest bulk string (one argument), in bytes
 * @param maxArrayLength the most arguments one request may declare
 * @param maxInlineLength the longest inline command line (the {@code telnet} form), in bytes
 */
public record Limits(int maxBulkLength, int maxArrayLength, int maxInlineLength) {

  /** Redis's limits. */
  public static final Limits DEFAULT = new Limits(512 * 1024 * 1024, Integer.MAX_VALUE, 64 * 1024);

  public Limits {
    if (maxBulkLength < 0 || maxArrayLength < 1 || maxInlineLength < 16) {
      throw new IllegalArgumentException(
          "limits must be positive: bulk=" + maxBulkLength + " array=" + maxArrayLength + " inline=" + maxInlineLength);
    }
  }
}
