package dev.sharedstate.lockcheck.blocking;

/**
 * A method that runs the lambda or method reference passed to it before it returns (e.g.
 * {@code Iterable.forEach}), so the function's body runs under the caller's locks. {@code owner} is a
 * qualified type name ({@code null}: any receiver), {@code method} a name or {@code "*"} for all.
 */
public record ImmediateCaller(String owner, String method) {

  /**
   * Parses the command-line form {@code [qualified.Owner#]method}, e.g. {@code run} or
   * {@code com.example.Locks#withLock}.
   */
  public static ImmediateCaller parse(String spec) {
    int hash = spec.indexOf('#');
    if (hash < 0) {
      return new ImmediateCaller(null, spec.strip());
    }
    return new ImmediateCaller(spec.substring(0, hash).strip(), spec.substring(hash + 1).strip());
  }
}
