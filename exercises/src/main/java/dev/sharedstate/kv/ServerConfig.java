package dev.sharedstate.kv;

import dev.sharedstate.kv.resp.Limits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.LongSupplier;

/**
 * Where the server listens and what it allows. {@link #defaults()} is Redis's: {@code 127.0.0.1:6379},
 * Redis's request limits, 10,000 clients, no password, protected mode on; the memory limit is half the
 * JVM's maximum heap. Tests use {@link #ephemeral()}: a free port on loopback.
 *
 * @param bindAddress the address to listen on (loopback by default: nothing outside this machine)
 * @param port the TCP port; 0 picks a free one ({@link KvServer#port()} says which)
 * @param limits request size limits, checked before allocating
 * @param maxClients connections beyond this get {@code -ERR max number of clients reached}
 * @param clockMillis the clock for expiry (tests inject a fake one)
 * @param maxMemory once the data's estimated size is over this many bytes, commands that would add
 *     data get Redis's {@code -OOM} error (reads and deletes still work); 0 means no limit
 * @param requirePass the password clients must send with {@code AUTH}, or null for none
 * @param protectedMode with no password, refuse clients that are not on this machine (Redis's
 *     {@code protected-mode yes}); matters only when bound to a non-loopback address
 */
public record ServerConfig(
    InetAddress bindAddress,
    int port,
    Limits limits,
    int maxClients,
    LongSupplier clockMillis,
    long maxMemory,
    String requirePass,
    boolean protectedMode) {

  public static final int DEFAULT_PORT = 6379;

  public ServerConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be positive, was " + maxClients);
    if (maxMemory < 0) throw new IllegalArgumentException("maxMemory must be 0 (no limit) or positive, was " + maxMemory);
  }

  /** The original five settings; the others take their defaults. */
  public ServerConfig(InetAddress bindAddress, int port, Limits limits, int maxClients, LongSupplier clockMillis) {
    this(bindAddress, port, limits, maxClients, clockMillis, defaultMaxMemory(), null, true);
  }

  /** Half the JVM's maximum heap: the estimate of the data's size leaves room for the JVM's overhead. */
  public static long defaultMaxMemory() {
    return Runtime.getRuntime().maxMemory() / 2;
  }

  /** {@code 127.0.0.1:6379}, Redis's limits. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        InetAddress.getLoopbackAddress(), DEFAULT_PORT, Limits.DEFAULT, 10_000, System::currentTimeMillis);
  }

  /** Loopback, a free port: what tests use. */
  public static ServerConfig ephemeral() {
    return defaults().withPort(0);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, requirePass, protectedMode);
  }

  public ServerConfig withBindAddress(InetAddress address) {
    return new ServerConfig(address, port, limits, maxClients, clockMillis, maxMemory, requirePass, protectedMode);
  }

  /** Binds the named address or host ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, {@code localhost}). */
  public ServerConfig withBindAddress(String host) throws UnknownHostException {
    return withBindAddress(InetAddress.getByName(host));
  }

  public ServerConfig withLimits(Limits limits) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, requirePass, protectedMode);
  }

  public ServerConfig withMaxClients(int maxClients) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, requirePass, protectedMode);
  }

  public ServerConfig withClock(LongSupplier clockMillis) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, requirePass, protectedMode);
  }

  /** The memory limit in bytes; 0 for none. */
  public ServerConfig withMaxMemory(long bytes) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, bytes, requirePass, protectedMode);
  }

  /** The password {@code AUTH} must give; null or empty for none. */
  public ServerConfig withRequirePass(String password) {
    String p = password == null || password.isEmpty() ? null : password;
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, p, protectedMode);
  }

  public ServerConfig withProtectedMode(boolean on) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis, maxMemory, requirePass, on);
  }

  /** True when clients from other machines are refused: protected mode is on and there is no password. */
  public boolean refusesRemoteClients() {
    return protectedMode && requirePass == null;
  }
}
