package dev.sharedstate.learn;

import dev.sharedstate.learn.chapters.TerminalMarkdown;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.parser.Parser;

/**
 * A chapter's Java snippets, run through the JShell API. Stands in for the chapters module's runner
 * (issue 3) until it is wired; fences whose info string says {@code ignore} or {@code no-run} are skipped.
 */
final class Snippets {
  private Snippets() {}

  record Block(String info, String code) {}

  static List<Block> javaBlocks(String markdown) {
    var blocks = new ArrayList<Block>();
    Parser.builder().build().parse(markdown).accept(new AbstractVisitor() {
      @Override
      public void visit(FencedCodeBlock f) {
        var info = f.getInfo() == null ? "" : f.getInfo().strip();
        var lang = info.split("\\s+")[0];
        if ((lang.equals("java") || lang.equals("jshell")) && !info.matches(".*\\b(ignore|no-run|skip|compile-only)\\b.*")) {
          blocks.add(new Block(info, f.getLiteral()));
        }
      }
    });
    return blocks;
  }

  /** The snippets as jshell source (hidden setup lines included, their prefix removed). */
  static List<String> loadable(String markdown) {
    return javaBlocks(markdown).stream().filter(b -> !b.info().contains("fail"))
        .map(b -> String.join("\n", TerminalMarkdown.runnableLines(b.code()))).toList();
  }

  static int runAll(String markdown, Io io, String classPath) {
    var blocks = javaBlocks(markdown);
    var captured = new ByteArrayOutputStream();
    int errors = 0;
    // The local engine runs snippets in this JVM, so their System.out is ours: capture it for the report.
    var realOut = System.out;
    var realErr = System.err;
    var capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try (var shell = JShell.builder().out(new PrintStream(captured, true, StandardCharsets.UTF_8))
        .err(new PrintStream(captured, true, StandardCharsets.UTF_8)).executionEngine("local").build()) {
      shell.addToClasspath(classPath);
      int n = 0;
      for (var b : blocks) {
        n++;
        io.out().println((io.color() ? "\u001b[1m" : "") + "── snippet " + n + "/" + blocks.size()
            + (b.info().equals("java") ? "" : "  (" + b.info() + ")") + (io.color() ? "\u001b[0m" : ""));
        TerminalMarkdown.visibleLines(b.code()).forEach(l -> io.out().println("  " + l));
        var problems = new ArrayList<String>();
        var rest = String.join("\n", TerminalMarkdown.runnableLines(b.code()));
        var analysis = shell.sourceCodeAnalysis();
        while (!rest.isBlank()) {
          var info = analysis.analyzeCompletion(rest);
          var source = info.source() == null ? rest : info.source();
          for (SnippetEvent ev : shell.eval(source)) {
            if (ev.exception() != null) {
              problems.add("exception: " + ev.exception());
            }
            if (ev.status() == Snippet.Status.REJECTED) {
              shell.diagnostics(ev.snippet()).forEach(d -> problems.add("error: " + d.getMessage(null)));
            }
          }
          if (info.source() == null) {
            break;
          }
          rest = info.remaining();
        }
        var output = captured.toString(StandardCharsets.UTF_8);
        captured.reset();
        output.lines().forEach(l -> io.out().println("  → " + l));
        problems.forEach(p -> io.out().println("  ✗ " + p));
        boolean expectedFail = b.info().contains("fail");
        if (!problems.isEmpty() && !expectedFail) {
          errors++;
        }
        io.out().println();
      }
    } finally {
      System.setOut(realOut);
      System.setErr(realErr);
    }
    io.out().println(blocks.size() + " snippet(s) run, " + errors + " with unexpected errors.");
    return errors == 0 ? 0 : 1;
  }
}
