package dev.sharedstate.lockcheck.source;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ParserConfiguration.LanguageLevel;
import com.github.javaparser.ast.CompilationUnit;

/**
 * The one JavaParser configuration lockcheck (and its parse-only benchmark) uses: the newest language
 * level JavaParser offers (JavaParser's default is old, and the JDK's own sources need JDK 25 syntax),
 * comments not attributed to nodes (the analysis never reads them). A parser is not thread-safe, so
 * each thread gets its own.
 */
public final class Parsers {

  /** The newest language level of the JavaParser release we build with. */
  public static final LanguageLevel LANGUAGE_LEVEL = LanguageLevel.JAVA_25;

  private static final ThreadLocal<JavaParser> PARSER = ThreadLocal.withInitial(() -> new JavaParser(configuration()));

  private Parsers() {}

  public static ParserConfiguration configuration() {
    return new ParserConfiguration()
        .setLanguageLevel(LANGUAGE_LEVEL)
        .setAttributeComments(false)
        .setLexicalPreservationEnabled(false)
        .setStoreTokens(true);
  }

  /** Parses source text with this thread's parser. */
  public static ParseResult<CompilationUnit> parse(String source) {
    return PARSER.get().parse(source);
  }
}
