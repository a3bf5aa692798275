package dev.sharedstate.kv.command;

import dev.sharedstate.kv.resp.Args;
import java.util.ArrayList;
import java.util.List;

final class Keys {
  private Keys() {}

  /** Arguments {@code from..} as keys. */
  static List<String> from(Args args, int from) {
    var keys = new ArrayList<String>(args.count() - from);
    for (int i = from; i < args.count(); i++) keys.add(args.string(i));
    return keys;
  }
}
