package dev.sharedstate.learn.book;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Markdown to HTML with commonmark-java, as GitHub shows the same files: GFM tables, headings with
 * GitHub's anchor ids (so {@code #fix-1-only-lock-inside-methods-that-never-block} in an exercise's
 * README lands on the chapter's section), links rewritten to book pages ({@link Links}). Every word of
 * a fence's info string becomes a class on its {@code <code>} (commonmark keeps only the first), and a
 * chapter's {@code java} fences can be replaced by runnable cells. Raw HTML in the Markdown is shown as
 * text, except comments, which are dropped.
 */
final class MarkdownHtml {

  /** Renders a fence that the page wants to show its own way; null to render it as code. */
  interface Fences {
    /** The HTML for the fence opening at 1-based {@code line}, or null; "" to drop the fence. */
    String render(int line);
  }

  private static final List<Extension> EXTENSIONS =
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());

  private final Parser parser =
      Parser.builder().extensions(EXTENSIONS).includeSourceSpans(IncludeSourceSpans.BLOCKS).build();
  private final Links links;

  MarkdownHtml(Links links) {
    this.links = links;
  }

  /**
   * @param repoFile the Markdown file's path in the repository (links are relative to it)
   * @param page the book page it is rendered into (links are made relative to it)
   * @param fences the page's own rendering of some fences, or null
   */
  String render(String markdown, String repoFile, String page, Fences fences) {
    Node doc = parser.parse(markdown);
    HtmlRenderer renderer =
        HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .sanitizeUrls(false) // links are rewritten below: only http(s), mailto and book pages survive
            .attributeProviderFactory(ctx -> new Attributes(repoFile, page))
            .nodeRendererFactory(ctx -> new FenceRenderer(ctx, fences))
            .nodeRendererFactory(RawHtmlAsText::new)
            .build();
    return renderer.render(doc);
  }

  /** Info words as classes, and links made into book links. */
  private final class Attributes implements AttributeProvider {
    private final String repoFile;
    private final String page;

    Attributes(String repoFile, String page) {
      this.repoFile = repoFile;
      this.page = page;
    }

    @Override
    public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
      if (node instanceof FencedCodeBlock fence && tagName.equals("code")) {
        String classes = fenceClasses(fence.getInfo());
        if (!classes.isEmpty()) {
          attributes.put("class", classes);
        }
      } else if (node instanceof Link && tagName.equals("a")) {
        String href = attributes.get("href");
        var target = links.rewrite(href, repoFile, page);
        if (target.isPresent()) {
          attributes.put("href", target.get());
          if (target.get().startsWith("http")) {
            attributes.put("target", "_blank");
            attributes.put("rel", "noopener noreferrer");
          }
        } else {
          attributes.remove("href");
          attributes.put("class", "dead-link");
          attributes.put("title", "not part of the book: " + href);
        }
      } else if (node instanceof Image && tagName.equals("img")) {
        String src = attributes.get("src");
        var target = links.rewrite(src, repoFile, page);
        if (target.isEmpty() || target.get().startsWith("http")) {
          attributes.remove("src"); // no remote images: the book works offline and leaks nothing
        } else {
          attributes.put("src", target.get());
        }
      }
    }
  }

  /** {@code language-java lockcheck-fail timeout-10s}: the first word as commonmark does, the rest as is. */
  static String fenceClasses(String info) {
    if (info == null || info.isBlank()) {
      return "";
    }
    String[] words = info.strip().split("\\s+");
    StringBuilder sb = new StringBuilder("language-").append(cssWord(words[0]));
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      int eq = w.indexOf('=');
      sb.append(' ').append(cssWord(eq > 0 ? w.substring(0, eq) : w));
    }
    return sb.toString();
  }

  private static String cssWord(String w) {
    return w.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
  }

  /** A fence: the page's own cell if it has one for the fence's line, else {@code <pre><code>}. */
  private static final class FenceRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext ctx;
    private final HtmlWriter html;
    private final Fences fences;

    FenceRenderer(HtmlNodeRendererContext ctx, Fences fences) {
      this.ctx = ctx;
      this.html = ctx.getWriter();
      this.fences = fences;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(FencedCodeBlock.class);
    }

    @Override
    public void render(Node node) {
      FencedCodeBlock fence = (FencedCodeBlock) node;
      if (fences != null) {
        List<SourceSpan> spans = fence.getSourceSpans();
        int line = spans.isEmpty() ? 0 : spans.getFirst().getLineIndex() + 1;
        String own = fences.render(line);
        if (own != null) {
          html.line();
          html.raw(own);
          html.line();
          return;
        }
      }
      html.line();
      html.tag("pre");
      Map<String, String> attrs = new LinkedHashMap<>();
      html.tag("code", ctx.extendAttributes(fence, "code", attrs));
      html.text(fence.getLiteral());
      html.tag("/code");
      html.tag("/pre");
      html.line();
    }
  }

  /** Raw HTML in a Markdown file is shown as the text it is; comments are dropped. */
  private static final class RawHtmlAsText implements NodeRenderer {
    private final HtmlWriter html;

    RawHtmlAsText(HtmlNodeRendererContext ctx) {
      this.html = ctx.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(HtmlBlock.class, HtmlInline.class);
    }

    @Override
    public void render(Node node) {
      String literal = node instanceof HtmlBlock b ? b.getLiteral() : ((HtmlInline) node).getLiteral();
      if (literal.strip().startsWith("<!--")) {
        return;
      }
      if (node instanceof HtmlBlock) {
        html.tag("p");
        html.text(literal);
        html.tag("/p");
      } else {
        html.text(literal);
      }
    }
  }

  /** The plain-text title of a Markdown file: its first level-1 heading, else {@code fallback}. */
  static String title(String markdown, String fallback) {
    for (String line : markdown.split("\\R")) {
      if (line.startsWith("# ")) {
        return line.substring(2).strip().replace("`", "");
      }
    }
    return fallback;
  }

  /** Markdown with one {@code ## NAME} section (up to the next {@code ##} heading) left out. */
  static String withoutSection(String markdown, String name) {
    StringBuilder sb = new StringBuilder();
    boolean skipping = false;
    boolean inFence = false;
    for (String line : markdown.split("\\R", -1)) {
      if (line.startsWith("```")) {
        inFence = !inFence;
      }
      if (!inFence && line.matches("#{1,2}\\s+.*")) {
        skipping = line.toLowerCase(Locale.ROOT).matches("##\\s+" + name + "\\s*");
      }
      if (!skipping) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }
}
