package dev.sharedstate.lockcheck.source;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ParserConfiguration.LanguageLevel;
import com.github.javaparser.Processor;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.DataKey;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.validator.postprocessors.Java10PostProcessor;

/**
 * The one JavaParser configuration lockcheck uses. JavaParser's grammar accepts every Java version's
 * syntax; a language level adds a validation pass over the whole tree (a quarter of the parse time on
 * the JDK's sources) that rejects what javac would reject at that level. lockcheck is not a compiler
 * and checks code that compiles, so it skips that pass and keeps only the post-processing the
 * analysis needs: {@code var} becomes a {@code VarType}, as at level 10 and later.
 * Comments are not attributed to nodes (the analysis never reads them); tokens are stored because node
 * positions come from them. A parser is not thread-safe, so each thread gets its own.
 */
public final class Parsers {

  /**
   * The newest language level of the JavaParser release we build with: the level whose syntax the
   * grammar accepts (the JDK's own sources need JDK 25 syntax), and the level the benchmark's
   * parse-only baseline validates at.
   */
  public static final LanguageLevel LANGUAGE_LEVEL = LanguageLevel.JAVA_25;

  /** The class of JavaParser's language-level processor (post-processors, then the validator). */
  private static final String LEVEL_PROCESSOR = ParserConfiguration.class.getName() + "$2";

  private static final ThreadLocal<JavaParser> PARSER = ThreadLocal.withInitial(() -> new JavaParser(configuration()));

  private Parsers() {}

  /** lockcheck's configuration: no validation pass, {@code var} post-processed, no comment attribution. */
  public static ParserConfiguration configuration() {
    ParserConfiguration c = validatingConfiguration();
    // The language level's processor runs its post-processors and then its validator. Replace it by
    // one that only post-processes. The level itself stays (the parser reads it, e.g. for `yield`).
    // Found by class: JavaParser's version is pinned, and ParsersTest fails if this stops working.
    boolean replaced = c.getProcessors().removeIf(s -> s.get().getClass().getName().equals(LEVEL_PROCESSOR));
    if (!replaced) {
      return c; // an unknown JavaParser layout: validate, as JavaParser does by default
    }
    Java10PostProcessor var = new Java10PostProcessor();
    c.getProcessors().add(() -> new Processor() {
      @Override
      public void postProcess(ParseResult<? extends Node> result, ParserConfiguration configuration) {
        if (result.getResult().isPresent()) {
          var.postProcess(result, configuration);
        }
      }
    });
    return c;
  }

  /**
   * What a parse-only JavaParser pass at {@link #LANGUAGE_LEVEL} uses (the benchmark's baseline): the
   * same settings with the language level's validation.
   */
  public static ParserConfiguration validatingConfiguration() {
    return new ParserConfiguration()
        .setLanguageLevel(LANGUAGE_LEVEL)
        .setAttributeComments(false)
        .setLexicalPreservationEnabled(false)
        .setStoreTokens(true);
  }

  /**
   * Set on every tree {@link #parse} returns: whether its file puts channels in non-blocking mode
   * ({@code configureBlocking(false)} anywhere in its text). NIO code that does so uses its socket
   * channels with a selector, where {@code connect}, {@code read} and {@code write} return at once.
   */
  public static final DataKey<Boolean> NON_BLOCKING_CHANNELS = new DataKey<>() {};

  /** Parses source text with this thread's parser. */
  public static ParseResult<CompilationUnit> parse(String source) {
    return parse(source, source);
  }

  /**
   * Parses {@code toParse}, a version of {@code fullText} with bodies blanked (see {@link Skeleton}),
   * marking the tree from the full text: a blanked body may be the one that configures the channels.
   */
  public static ParseResult<CompilationUnit> parse(String toParse, String fullText) {
    ParseResult<CompilationUnit> r = PARSER.get().parse(toParse);
    if (!r.isSuccessful()) {
      // JavaParser 3.28 cannot parse a local enum (javaparser #3990): once more with each one as a
      // local class of the same length; another failure keeps the first parse's error
      String retry = LocalEnums.asClasses(toParse);
      if (retry != null) {
        ParseResult<CompilationUnit> again = PARSER.get().parse(retry);
        if (again.isSuccessful()) {
          r = again;
        }
      }
    }
    r.getResult().ifPresent(cu -> cu.setData(NON_BLOCKING_CHANNELS,
        fullText.contains("configureBlocking") && callsConfigureBlockingFalse(fullText)));
    return r;
  }

  /** The code (not a comment or a literal) has {@code configureBlocking(false)}. */
  static boolean callsConfigureBlockingFalse(String text) {
    JavaLexer lx = new JavaLexer(text);
    for (int k = lx.next(); k != JavaLexer.EOF; k = lx.next()) {
      if (k == JavaLexer.IDENT && lx.is("configureBlocking")
          && lx.next() == JavaLexer.PUNCT && lx.ch() == '('
          && lx.next() == JavaLexer.IDENT && lx.is("false")
          && lx.next() == JavaLexer.PUNCT && lx.ch() == ')') {
        return true;
      }
    }
    return false;
  }
}
