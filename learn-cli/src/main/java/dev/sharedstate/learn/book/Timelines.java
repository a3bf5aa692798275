package dev.sharedstate.learn.book;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The timelines drawn so far, by a random id, the most recent 64 kept: what {@code /api/timeline/ID.svg} serves. */
final class Timelines {
  private static final int KEEP = 64;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> svgs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > KEEP;
    }
  };

  synchronized String put(String svg) {
    byte[] b = new byte[12];
    random.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    svgs.put(id, svg);
    return id;
  }

  synchronized Optional<String> get(String id) {
    return Optional.ofNullable(svgs.get(id));
  }
}
