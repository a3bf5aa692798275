package dev.sharedstate.chapters.markdown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Reads a chapter's Markdown with commonmark-java (source spans on, so every block knows its file
 * line) and returns its {@code java} blocks with their markers and expected output. Fences in other
 * languages ({@code rust}, {@code text}, {@code console}...) are for readers and are ignored.
 */
public final class ChapterParser {

  private static final Pattern CHAPTER_FILE = Pattern.compile("\\d\\d-[a-z0-9-]+\\.md");

  private final Parser parser =
      Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

  /** The chapter files of a folder ({@code NN-name.md}), in chapter order. */
  public static List<Path> discover(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> CHAPTER_FILE.matcher(p.getFileName().toString()).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list chapters in " + dir.toAbsolutePath(), e);
    }
  }

  /** Parses a chapter file (UTF-8). */
  public Chapter parse(Path file) {
    try {
      return parse(file, Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read chapter " + file, e);
    }
  }

  /** Parses Markdown text as if it were {@code file} (used in locations). */
  public Chapter parse(Path file, String markdown) {
    Node document = parser.parse(markdown);
    String[] sourceLines = markdown.split("\r?\n", -1);
    List<Block> blocks = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    String[] title = {""};
    // The last fence seen, if it was a java block still waiting for its output fence.
    Block[] pending = {null};
    boolean[] previousWasJava = {false};

    document.accept(
        new AbstractVisitor() {
          @Override
          public void visit(Heading heading) {
            if (title[0].isEmpty() && heading.getLevel() == 1) {
              StringBuilder sb = new StringBuilder();
              for (Node n = heading.getFirstChild(); n != null; n = n.getNext()) {
                appendText(n, sb);
              }
              title[0] = sb.toString().strip();
            }
            visitChildren(heading);
          }

          @Override
          public void visit(FencedCodeBlock fence) {
            List<SourceSpan> spans = fence.getSourceSpans();
            int openLine = spans.isEmpty() ? 0 : spans.getFirst().getLineIndex() + 1;
            int lastLine = spans.isEmpty() ? openLine : spans.getLast().getLineIndex() + 1;
            boolean closed = fence.getClosingFenceLength() != null;
            int closeLine = closed ? lastLine : sourceLines.length + 1;
            FenceInfo info = FenceInfo.parse(fence.getInfo());
            for (String error : info.errors()) {
              problems.add(new ParseProblem(file, openLine, error));
            }
            if (info.isOutput()) {
              Block owner = pending[0];
              if (owner == null) {
                problems.add(
                    new ParseProblem(
                        file,
                        openLine,
                        previousWasJava[0]
                            ? "an output fence must follow a block that runs (not skip or compile-only), and only one per block"
                            : "an output fence must follow a ```java block"));
              } else {
                if (ExpectedOutput.isOnlyWildcards(fence.getLiteral())) {
                  problems.add(
                      new ParseProblem(
                          file,
                          openLine,
                          "this output fence holds only wildcards ([..] or ...), so it matches anything and"
                              + " shows the reader nothing: write what the block prints, with [..] only for the"
                              + " parts that change from run to run"));
                }
                Block withOutput =
                    new Block(
                        owner.file(),
                        owner.line(),
                        owner.info(),
                        owner.mode(),
                        owner.timeout(),
                        owner.lines(),
                        Optional.of(new ExpectedOutput(openLine, closeLine, fence.getLiteral())));
                blocks.set(blocks.size() - 1, withOutput);
              }
              pending[0] = null;
              previousWasJava[0] = false;
              return;
            }
            pending[0] = null;
            previousWasJava[0] = false;
            if (!info.isJava()) {
              return;
            }
            List<CodeLine> lines = new ArrayList<>();
            String literal = fence.getLiteral();
            if (!literal.isEmpty()) {
              String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
              String[] raw = body.split("\n", -1);
              for (int i = 0; i < raw.length; i++) {
                lines.add(codeLine(openLine + 1 + i, raw[i]));
              }
            }
            Block block =
                new Block(file, openLine, fence.getInfo(), info.mode(), info.timeout(), lines, Optional.empty());
            blocks.add(block);
            previousWasJava[0] = true;
            if (block.mode() instanceof Mode.Run || block.mode() instanceof Mode.LockcheckFail) {
              pending[0] = block;
            }
          }
        });
    return new Chapter(file, title[0], blocks, problems);
  }

  private static CodeLine codeLine(int line, String raw) {
    String stripped = raw.stripLeading();
    if (stripped.startsWith(Block.HIDDEN_PREFIX)) {
      String indent = raw.substring(0, raw.length() - stripped.length());
      String rest = stripped.substring(Block.HIDDEN_PREFIX.length());
      if (rest.startsWith(" ")) {
        rest = rest.substring(1);
      }
      return new CodeLine(line, indent + rest, true);
    }
    return new CodeLine(line, raw, false);
  }

  private static void appendText(Node node, StringBuilder sb) {
    if (node instanceof Text t) {
      sb.append(t.getLiteral());
    } else if (node instanceof org.commonmark.node.Code c) {
      sb.append(c.getLiteral());
    }
    for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
      appendText(n, sb);
    }
  }
}
