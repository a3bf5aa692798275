package dev.sharedstate.learn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A copy of the fixture checkout (two chapters, two exercises) committed to a fresh git repository. */
final class Fixture {
  final Path root;

  Fixture(Path tmp) throws IOException, InterruptedException, URISyntaxException {
    root = tmp.resolve("checkout");
    var src = Path.of(Fixture.class.getResource("/fixture").toURI());
    try (var walk = Files.walk(src)) {
      for (var p : (Iterable<Path>) walk::iterator) {
        var dest = root.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture");
  }

  private void git(String... args) throws IOException, InterruptedException {
    var cmd = new java.util.ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    var p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
    var out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("git " + String.join(" ", args) + ": " + out);
    }
  }

  Path starter(String ex, String cls) {
    var n = ex.substring(2, 4);
    return root.resolve("exercises/" + ex + "/src/main/java/dev/sharedstate/exercises/ex" + n + "/" + cls + ".java");
  }

  Path reference(String ex, String cls) {
    var n = ex.substring(2, 4);
    return root.resolve("exercises/" + ex + "/reference/src/main/java/dev/sharedstate/exercises/ex" + n + "/" + cls + ".java");
  }

  /** Solves an exercise on disk the way a learner would: by editing the starter. */
  void solve(String ex, String cls) throws IOException {
    Files.writeString(starter(ex, cls), Files.readString(reference(ex, cls)));
  }

  Result run(String... args) {
    return run(false, "", args);
  }

  Result run(boolean interactive, String input, String... args) {
    return run(Workspace.at(root), interactive, input, args);
  }

  Result run(Workspace ws, boolean interactive, String input, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var io = new Io(new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader(input)),
        interactive, 80, 1000);
    int rc = Learn.run(args, ws, io);
    return new Result(rc, out.toString(), err.toString());
  }

  record Result(int rc, String out, String err) {}
}
