package dev.sharedstate.kv.resp;

/**
 * How much one client may send in one request, checked before anything is allocated for it. The
 * defaults are Redis 7's own: 512 MiB per bulk string ({@code proto-max-bulk-len}), up to {@code
 * INT_MAX} arguments per request (the argument list grows with the arguments that actually arrive, so
 * a large count costs nothing by itself), 64 KiB per inline command ({@code PROTO_INLINE_MAX_SIZE}).
 * One limit is ours: a request's arguments together may hold at most 1 GiB (Redis's default {@code
 * client-query-buffer-limit}), counting {@link #ARGUMENT_OVERHEAD} bytes for each argument however short.
 * Redis keeps the arguments it has parsed outside that buffer, so a client that declares {@code
 * *2147483647} and then sends empty arguments forever grows its memory without end; here it gets a
 * protocol error once its arguments pass the limit, and the connection is closed.
 *
 * @param maxBulkLength the longest bulk string (one argument), in bytes
 * @param maxArrayLength the most arguments one request may declare
 * @param maxInlineLength the longest inline command line (the {@code telnet} form), in bytes
 * @param maxRequestBytes the most one request's arguments may hold together, in bytes, with {@link
 *     #ARGUMENT_OVERHEAD} counted for each
 */
public record Limits(int maxBulkLength, int maxArrayLength, int maxInlineLength, long maxRequestBytes) {

  /** What one argument costs in memory beyond its bytes (the array's header, the list's reference), roughly. */
  public static final int ARGUMENT_OVERHEAD = 32;

  /** Redis's limits, and 1 GiB for a whole request. */
  public static final Limits DEFAULT = new Limits(512 * 1024 * 1024, Integer.MAX_VALUE, 64 * 1024, 1L << 30);

  public Limits {
    if (maxBulkLength < 0 || maxArrayLength < 1 || maxInlineLength < 16 || maxRequestBytes < maxBulkLength) {
      throw new IllegalArgumentException("limits must be positive, and a request must hold its largest argument: bulk="
          + maxBulkLength + " array=" + maxArrayLength + " inline=" + maxInlineLength + " request=" + maxRequestBytes);
    }
  }

  /** These limits, and {@code maxBulkLength} plus one argument's overhead (at least) for a whole request. */
  public Limits(int maxBulkLength, int maxArrayLength, int maxInlineLength) {
    this(maxBulkLength, maxArrayLength, maxInlineLength, Math.max(1L << 30, (long) maxBulkLength + ARGUMENT_OVERHEAD));
  }
}
