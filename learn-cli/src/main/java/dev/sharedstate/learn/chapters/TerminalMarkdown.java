package dev.sharedstate.learn.chapters;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Renders a chapter for the terminal with commonmark-java: headings, emphasis, highlighted Java code,
 * hidden setup lines left out, links shown as "text (url)". Plain (no ANSI escapes) when {@code color} is off.
 */
public final class TerminalMarkdown {
  /** Prefix of a setup line that runs but is not shown to the reader (like rustdoc's {@code # }). */
  public static final String HIDDEN_LINE_PREFIX = dev.sharedstate.chapters.markdown.Block.HIDDEN_PREFIX;

  private static final Set<String> KEYWORDS = Set.of(
      "abstract", "boolean", "break", "byte", "case", "catch", "char", "class", "continue", "default", "do",
      "double", "else", "enum", "extends", "final", "finally", "float", "for", "if", "implements", "import",
      "instanceof", "int", "interface", "long", "new", "package", "private", "protected", "public", "record",
      "return", "sealed", "permits", "short", "static", "super", "switch", "synchronized", "this", "throw",
      "throws", "try", "var", "void", "volatile", "while", "yield", "null", "true", "false");
  private static final Pattern TOKENS = Pattern.compile(
      "(?<comment>//.*)|(?<string>\"(?:[^\"\\\\]|\\\\.)*\")|(?<word>[A-Za-z_][A-Za-z0-9_]*)|(?<num>\\b\\d[\\d_]*L?\\b)");

  private final boolean color;
  private final int width;

  public TerminalMarkdown(boolean color, int width) {
    this.color = color;
    this.width = Math.max(40, width);
  }

  /** Lines of code as a reader sees them: without the hidden setup lines. */
  public static List<String> visibleLines(String code) {
    return code.lines().filter(l -> !l.stripLeading().startsWith(HIDDEN_LINE_PREFIX)).toList();
  }

  public String render(String markdown) {
    var doc = Parser.builder().build().parse(markdown);
    var out = new StringBuilder();
    doc.accept(new Visitor(out));
    return out.toString().replaceAll("\n{3,}", "\n\n");
  }

  private String sgr(String code, String text) {
    return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }

  String highlight(String line) {
    if (!color) {
      return line;
    }
    var sb = new StringBuilder();
    Matcher m = TOKENS.matcher(line);
    int last = 0;
    while (m.find()) {
      sb.append(line, last, m.start());
      if (m.group("comment") != null) {
        sb.append(sgr("2;3", m.group()));
      } else if (m.group("string") != null) {
        sb.append(sgr("32", m.group()));
      } else if (m.group("num") != null) {
        sb.append(sgr("36", m.group()));
      } else if (KEYWORDS.contains(m.group())) {
        sb.append(sgr("35;1", m.group()));
      } else if (Character.isUpperCase(m.group().charAt(0))) {
        sb.append(sgr("33", m.group()));
      } else {
        sb.append(m.group());
      }
      last = m.end();
    }
    return sb.append(line.substring(last)).toString();
  }

  private final class Visitor extends AbstractVisitor {
    private final StringBuilder out;
    private String indent = "";
    private int listDepth;

    Visitor(StringBuilder out) {
      this.out = out;
    }

    private String inline(Node parent) {
      var sb = new StringBuilder();
      var v = new Visitor(sb);
      for (var n = parent.getFirstChild(); n != null; n = n.getNext()) {
        n.accept(v);
      }
      return sb.toString();
    }

    @Override
    public void visit(Heading h) {
      var text = inline(h);
      out.append('\n');
      if (h.getLevel() == 1) {
        out.append(sgr("1;4", text.toUpperCase())).append("\n\n");
      } else {
        out.append(sgr("1", "#".repeat(h.getLevel()) + " " + text)).append("\n\n");
      }
    }

    @Override
    public void visit(Paragraph p) {
      out.append(wrap(inline(p), indent)).append('\n');
      if (listDepth == 0) {
        out.append('\n');
      }
    }

    private String wrap(String text, String prefix) {
      var sb = new StringBuilder();
      for (var para : text.split("\n", -1)) {
        int col = 0;
        sb.append(prefix);
        for (var word : para.split(" ")) {
          int len = word.replaceAll("\u001b\\[[0-9;]*m", "").length();
          if (col > 0 && col + 1 + len > width - prefix.length()) {
            sb.append('\n').append(prefix);
            col = 0;
          } else if (col > 0) {
            sb.append(' ');
            col++;
          }
          sb.append(word);
          col += len;
        }
        sb.append('\n');
      }
      return sb.substring(0, sb.length() - 1);
    }

    @Override
    public void visit(Text t) {
      out.append(t.getLiteral());
    }

    @Override
    public void visit(SoftLineBreak b) {
      out.append(' ');
    }

    @Override
    public void visit(HardLineBreak b) {
      out.append('\n');
    }

    @Override
    public void visit(Emphasis e) {
      out.append(color ? sgr("3", inline(e)) : "_" + inline(e) + "_");
    }

    @Override
    public void visit(StrongEmphasis e) {
      out.append(color ? sgr("1", inline(e)) : "*" + inline(e) + "*");
    }

    @Override
    public void visit(Code c) {
      out.append(color ? sgr("36", c.getLiteral()) : "`" + c.getLiteral() + "`");
    }

    @Override
    public void visit(Link l) {
      var text = inline(l);
      var dest = l.getDestination();
      out.append(color ? sgr("4", text) : text);
      if (!dest.equals(text)) {
        out.append(" (").append(dest).append(')');
      }
    }

    @Override
    public void visit(FencedCodeBlock c) {
      code(c.getLiteral(), c.getInfo());
    }

    @Override
    public void visit(IndentedCodeBlock c) {
      code(c.getLiteral(), "");
    }

    private void code(String literal, String info) {
      var lang = info == null ? "" : info.strip().split("\\s+")[0];
      boolean java = lang.isEmpty() || lang.equals("java") || lang.equals("jshell");
      if (!info.isBlank()) {
        out.append(indent).append(sgr("2", "  ─── " + info.strip())).append('\n');
      }
      var lines = java ? visibleLines(literal) : literal.lines().toList();
      for (var line : lines) {
        out.append(indent).append("    ").append(java ? highlight(line) : line).append('\n');
      }
      out.append('\n');
    }

    @Override
    public void visit(BlockQuote q) {
      var saved = indent;
      indent = indent + (color ? sgr("2", "│ ") : "> ");
      visitChildren(q);
      indent = saved;
    }

    @Override
    public void visit(BulletList l) {
      list(l, false);
    }

    @Override
    public void visit(OrderedList l) {
      list(l, true);
    }

    private void list(Node l, boolean ordered) {
      int n = l instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
      listDepth++;
      for (var item = l.getFirstChild(); item != null; item = item.getNext()) {
        var marker = ordered ? (n++) + ". " : "• ";
        var saved = indent;
        var sb = new StringBuilder();
        var v = new Visitor(sb);
        v.indent = saved + " ".repeat(marker.length());
        v.listDepth = listDepth;
        if (item instanceof ListItem li) {
          v.visitChildren(li);
        }
        var text = sb.toString();
        out.append(saved).append(marker).append(text.substring(Math.min(text.length(), v.indent.length())));
      }
      listDepth--;
      if (listDepth == 0) {
        out.append('\n');
      }
    }

    @Override
    public void visit(ThematicBreak t) {
      out.append(sgr("2", "─".repeat(Math.min(width, 60)))).append("\n\n");
    }

    @Override
    public void visit(HtmlBlock h) {
      // HTML comments and tags carry no meaning in a terminal
    }
  }
}
