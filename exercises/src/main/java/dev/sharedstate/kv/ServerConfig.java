package dev.sharedstate.kv;

import dev.sharedstate.kv.resp.Limits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.LongSupplier;

/**
 * Where the server listens and what it allows. {@link #defaults()} is Redis's: {@code 127.0.0.1:6379},
 * Redis's request limits, 10,000 clients. Tests use {@link #ephemeral()}: a free port on loopback.
 *
 * @param bindAddress the address to listen on (loopback by default: nothing outside this machine)
 * @param port the TCP port; 0 picks a free one ({@link KvServer#port()} says which)
 * @param limits request size limits, checked before allocating
 * @param maxClients connections beyond this get {@code -ERR max number of clients reached}
 * @param clockMillis the clock for expiry (tests inject a fake one)
 */
public record ServerConfig(
    InetAddress bindAddress, int port, Limits limits, int maxClients, LongSupplier clockMillis) {

  public static final int DEFAULT_PORT = 6379;

  public ServerConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
    if (maxClients < 1) throw new IllegalArgumentException("maxClients must be positive, was " + maxClients);
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
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis);
  }

  public ServerConfig withBindAddress(InetAddress address) {
    return new ServerConfig(address, port, limits, maxClients, clockMillis);
  }

  /** Binds the named address or host ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, {@code localhost}). */
  public ServerConfig withBindAddress(String host) throws UnknownHostException {
    return withBindAddress(InetAddress.getByName(host));
  }

  public ServerConfig withLimits(Limits limits) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis);
  }

  public ServerConfig withMaxClients(int maxClients) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis);
  }

  public ServerConfig withClock(LongSupplier clockMillis) {
    return new ServerConfig(bindAddress, port, limits, maxClients, clockMillis);
  }
}
