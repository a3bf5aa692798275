package dev.sharedstate.exercises.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The git blob hashes of every starter file, as shipped ({@code exercises/starters.sha1}, one
 * {@code <hash> <path>} a line, written by {@code git hash-object}). An exercise whose starter files all
 * still have their shipped hash is "not started". Git blob hashes make the check independent of file
 * times and of whether the learner uses git; line endings are normalised so a Windows checkout of an
 * untouched starter still counts as untouched.
 */
public final class StarterManifest {
  public static final String FILE = "starters.sha1";

  private final Path root;
  private final Map<String, String> hashes;

  private StarterManifest(Path root, Map<String, String> hashes) {
    this.root = root;
    this.hashes = hashes;
  }

  /** Reads {@code root/starters.sha1}; an absent manifest means nothing counts as untouched. */
  public static StarterManifest load(Path root) {
    var map = new LinkedHashMap<String, String>();
    Path file = root.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          line = line.strip();
          if (line.isEmpty() || line.startsWith("#")) continue;
          int space = line.indexOf(' ');
          if (space < 0) continue;
          map.put(line.substring(space + 1).strip(), line.substring(0, space));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new StarterManifest(root, map);
  }

  /**
   * True if the exercise's starter files are listed and every one is byte-for-byte as shipped. A
   * missing file counts as touched (the learner's work is never assumed away).
   */
  public boolean untouched(String exerciseId) {
    String prefix = exerciseId + "/";
    boolean any = false;
    for (var e : hashes.entrySet()) {
      if (!e.getKey().startsWith(prefix)) continue;
      any = true;
      Path p = root.resolve(e.getKey());
      try {
        if (!Files.isRegularFile(p) || !blobHash(Files.readAllBytes(p)).equals(e.getValue())) return false;
      } catch (IOException ex) {
        return false;
      }
    }
    return any;
  }

  /** {@code git hash-object} of {@code content}, after turning CRLF into LF. */
  public static String blobHash(byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
    try {
      var sha = MessageDigest.getInstance("SHA-1");
      sha.update(("blob " + body.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
