package dev.sharedstate.lockcheck.analysis;

/**
 * Whether a host string is an IP address literal, which {@code InetAddress.getByName} and
 * {@code new InetSocketAddress(host, port)} parse without asking a resolver ("If a literal IP address
 * is supplied, only the validity of the address format is checked"). Dotted-quad IPv4 and IPv6
 * (optionally in brackets, with a {@code %scope}); anything else, "localhost" included, is a name.
 */
final class IpLiteral {

  private IpLiteral() {}

  static boolean is(String host) {
    return ipv4(host) || ipv6(host);
  }

  private static boolean ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean ipv6(String s) {
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int scope = s.indexOf('%');
    if (scope >= 0) {
      s = s.substring(0, scope);
    }
    if (s.indexOf(':') < 0 || s.length() < 2) {
      return false;
    }
    int lastColon = s.lastIndexOf(':');
    String tail = s.substring(lastColon + 1);
    String head = tail.indexOf('.') >= 0 && ipv4(tail) ? s.substring(0, lastColon + 1) + "0" : s;
    int groups = 0;
    for (String g : head.split(":", -1)) {
      if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      groups++;
    }
    return groups >= 3 && groups <= 9 && (head.contains("::") || groups == 8 || tail.indexOf('.') >= 0);
  }
}
