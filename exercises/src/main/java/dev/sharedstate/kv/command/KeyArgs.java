package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import java.util.ArrayList;
import java.util.List;

final class KeyArgs {
  private KeyArgs() {}

  /** Arguments {@code from..} as keys, each once, in order of first appearance. */
  static List<String> distinct(List<String> keys) {
    return new ArrayList<>(new java.util.LinkedHashSet<>(keys));
  }

  /** Arguments {@code from..} as keys. */
  static List<String> from(Args args, int from) {
    var keys = new ArrayList<String>(args.count() - from);
    for (int i = from; i < args.count(); i++) keys.add(args.string(i));
    return keys;
  }
}
