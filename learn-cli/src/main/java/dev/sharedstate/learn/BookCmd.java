package dev.sharedstate.learn;

import dev.sharedstate.learn.book.BookServer;
import dev.sharedstate.learn.book.Exporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./learn book}: the tutorial in the browser. Starts the book's server on 127.0.0.1, prints
 * its address (with the token that lets a browser in), opens a browser where there is one, and
 * serves until Ctrl-C. {@code --export DIR} writes the static book instead.
 */
@Command(name = "book", mixinStandardHelpOptions = true, description = {
    "The tutorial in your browser: every snippet editable and runnable, lockcheck inline, exercises live.",
    "Serves on 127.0.0.1 only, behind a token; Ctrl-C stops it. --export DIR writes a static copy instead."})
final class BookCmd extends Learn.Sub {

  @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: any free port).", defaultValue = "0")
  int port;

  @Option(names = "--no-open", description = "Do not open a browser; just print the address.")
  boolean noOpen;

  @Option(names = "--export", paramLabel = "DIR", description = "Write the book as static HTML (no Run) into DIR, and exit.")
  Path export;

  @Override
  public Integer call() throws Exception {
    if (export != null) {
      return export();
    }
    if (port < 0 || port > 65535) {
      io.err().println("learn: --port must be between 0 and 65535, not " + port);
      return 2;
    }
    if (ws.chapters().chapters().isEmpty()) {
      io.err().println("learn: no chapters under " + ws.root().resolve("chapters")
          + "; run ./learn from the repository root (or set LEARN_ROOT to it)");
      return 2;
    }
    BookServer server;
    try {
      server = BookServer.start(ws, BookServer.Config.defaults().withPort(port), rule -> Explanations.section(ws, rule));
    } catch (java.net.BindException e) {
      io.err().println("learn: port " + port + " on 127.0.0.1 is taken (" + e.getMessage()
          + "); pick another with --port N, or leave it out for any free one");
      return 2;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "book-stop"));
    io.out().println("The book is at " + server.url());
    io.out().println("(this address carries a token: anyone with it can run code as you, so keep it to yourself)");
    io.out().println("Serving on 127.0.0.1:" + server.port() + " only. Ctrl-C stops it.");
    io.out().flush();
    if (!noOpen && shouldOpen()) {
      open(server);
    }
    stopped.await();
    return 0;
  }

  private int export() throws IOException {
    var dir = export.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      io.err().println("learn: " + export + " exists and is not a folder; give a folder to write the book into");
      return 2;
    }
    var pages = new Exporter(ws).export(dir);
    io.out().println("Wrote " + pages.size() + " pages to " + dir + " (open " + dir.resolve("index.html")
        + ", or serve the folder with any web server).");
    return 0;
  }

  /** A browser is worth opening only for a person at a desktop: not in CI, not over plain ssh. */
  private boolean shouldOpen() {
    var env = System.getenv();
    if ("true".equalsIgnoreCase(env.getOrDefault("CI", "")) || !io.interactive()) {
      return false;
    }
    boolean mac = System.getProperty("os.name", "").toLowerCase().contains("mac");
    return mac || env.containsKey("DISPLAY") || env.containsKey("WAYLAND_DISPLAY");
  }

  /**
   * Opens the browser on a small local file that redirects to the address, as Jupyter does: the token
   * then never appears in another process's command line, which any local user can read.
   */
  private void open(BookServer server) {
    try {
      var dir = ws.stateDir();
      Files.createDirectories(dir);
      var file = dir.resolve("book-open.html");
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      String url = server.url().toString();
      Files.writeString(file, "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
          + url + "\"><p><a href=\"" + url + "\">Open the book</a></p>\n");
      boolean mac = System.getProperty("os.name", "").toLowerCase().contains("mac");
      new ProcessBuilder(List.of(mac ? "open" : "xdg-open", file.toString()))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException | UnsupportedOperationException e) {
      io.err().println("learn: could not open a browser (" + e.getMessage() + "); open the address above yourself");
    }
  }
}
