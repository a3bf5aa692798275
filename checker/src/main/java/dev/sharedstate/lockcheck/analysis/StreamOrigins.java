package dev.sharedstate.lockcheck.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import dev.sharedstate.lockcheck.blocking.BlockingMethod;
import dev.sharedstate.lockcheck.source.Parsers;
import dev.sharedstate.lockcheck.types.ExprTyper;
import dev.sharedstate.lockcheck.types.JType;
import dev.sharedstate.lockcheck.types.SourceIndex;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Streams, readers, writers and channels by where they come from (issue 12, family 2): a
 * {@code DataOutputStream(new BufferedOutputStream(socket.getOutputStream()))} kept in a field and
 * written under a lock is socket I/O though its type does not say so. For a read or write operation
 * on a receiver of a stream type, the receiver's values are traced ({@link Origins}: initialisers,
 * assignments in constructors and methods, getters) through every wrapper (constructing a stream type
 * around a stream, {@code Channels.newOutputStream}, {@code Scanner}) to an origin: a socket, a
 * process, a pipe, the console or a file opened for synchronous writes block; anything else (a
 * {@code ByteArrayOutputStream}, a plain file, a parameter, a library call) is not a reason. The data
 * is {@code origins/streams.json}.
 */
final class StreamOrigins {

  private static final StreamOrigins BUILT_IN = new StreamOrigins(OriginData.read("streams.json"));

  /** Wrappers inside wrappers, at most. */
  private static final int MAX_WRAPPERS = 8;

  enum Direction { INPUT, OUTPUT }

  private record Origin(String owner, String method, String newType, String field, String kind, String when) {}

  private record Wrapper(String owner, String method, String newType, int argument) {}

  private final Map<Direction, List<String>> types = new HashMap<>();
  private final Map<Direction, Set<String>> operations = new HashMap<>();
  private final List<Origin> origins = new java.util.ArrayList<>();
  private final List<Wrapper> wrappers = new java.util.ArrayList<>();
  private final Map<String, Map<Direction, String>> kinds = new HashMap<>();
  private final Set<String> originMethodNames = new HashSet<>();

  private StreamOrigins(JsonNode data) {
    for (Direction d : Direction.values()) {
      String key = d.name().toLowerCase(java.util.Locale.ROOT);
      types.put(d, OriginData.strings(data.path("streamTypes"), key));
      operations.put(d, Set.copyOf(OriginData.strings(data.path("operations"), key)));
    }
    for (JsonNode o : data.path("origins")) {
      origins.add(new Origin(text(o, "owner"), text(o, "method"), text(o, "new"), text(o, "field"),
          o.path("kind").asText(), text(o, "when")));
      if (o.has("method")) {
        originMethodNames.add(o.get("method").asText());
      }
    }
    for (JsonNode w : data.path("wrappers")) {
      wrappers.add(new Wrapper(text(w, "owner"), text(w, "method"), text(w, "new"), w.path("argument").asInt(0)));
    }
    data.path("kinds").fields().forEachRemaining(e -> {
      Map<Direction, String> byDirection = new HashMap<>();
      for (Direction d : Direction.values()) {
        String why = text(e.getValue(), d.name().toLowerCase(java.util.Locale.ROOT));
        if (why != null) {
          byDirection.put(d, why);
        }
      }
      kinds.put(e.getKey(), byDirection);
    });
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) ? n.get(field).asText() : null;
  }

  static StreamOrigins builtIn() {
    return BUILT_IN;
  }

  /** Free first test: could a call of this name be a stream operation at all? */
  boolean isOperation(String name) {
    return operations.get(Direction.INPUT).contains(name) || operations.get(Direction.OUTPUT).contains(name)
        || isArchiveOperation(name);
  }

  /**
   * An operation of an object that is not a stream but may be built over one (ZooKeeper's
   * {@code OutputArchive.writeRecord}, a codec's {@code readFrame}): named {@code write…}, {@code read…}
   * or {@code flush}. Only a receiver that is a parameter of the method is traced this way.
   */
  private static boolean isArchiveOperation(String name) {
    return name.startsWith("write") || name.startsWith("read") || name.equals("flush");
  }

  /**
   * The blocking method a stream operation stands for when its receiver comes from a blocking origin;
   * empty otherwise. The method's {@code why} says what it waits for and where the stream comes from.
   */
  Optional<BlockingMethod> match(MethodCallExpr call, FileAnalysis fa, boolean followParameters) {
    if (call.getScope().isEmpty() || !isOperation(call.getNameAsString())) {
      return Optional.empty(); // an implicit-this call inside a stream class: its own body runs
    }
    JType receiver = fa.typer.receiverType(call);
    if (receiver.dims() > 0) {
      return Optional.empty();
    }
    Direction direction = null;
    if (receiver.kind() == JType.Kind.CLASS) {
      for (Direction d : Direction.values()) {
        if (operations.get(d).contains(call.getNameAsString()) && isA(fa.typer, receiver, types.get(d))) {
          direction = d;
          break;
        }
      }
    }
    Search search = new Search(false, followParameters);
    if (direction == null) {
      if (!followParameters || !isArchiveOperation(call.getNameAsString()) || !isParameter(call.getScope().get(), fa.typer)
          || (receiver.kind() == JType.Kind.CLASS && isStreamType(fa.typer, receiver))) {
        return Optional.empty();
      }
      direction = call.getNameAsString().startsWith("read") ? Direction.INPUT : Direction.OUTPUT;
      search = new Search(true, true);
    }
    boolean nonBlockingChannels = call.findCompilationUnit()
        .map(cu -> cu.containsData(Parsers.NON_BLOCKING_CHANNELS) && cu.getData(Parsers.NON_BLOCKING_CHANNELS))
        .orElse(false);
    for (Origins.Value v : fa.origins.of(call.getScope().get(), fa.typer, fa.file())) {
      Optional<Found> found = classify(v, fa, direction, 0, search);
      if (found.isPresent() && !(nonBlockingChannels && found.get().kind().endsWith("-channel"))) {
        Found f = found.get();
        String why = kinds.get(f.kind()).get(direction) + ", from `" + f.text() + "` at " + where(f, fa) + passed(f);
        return Optional.of(new BlockingMethod(receiver.name(), call.getNameAsString(), List.of(),
            BlockingMethod.Releases.NOTHING, why));
      }
    }
    return Optional.empty();
  }

  /** Readers whose constructor reads a header from the stream they wrap (their first argument). */
  private static final List<String> HEADER_READERS = List.of("java.io.ObjectInputStream", "java.util.zip.GZIPInputStream");

  /**
   * {@code new ObjectInputStream(in)} ("This constructor will block until the corresponding
   * ObjectOutputStream has written and flushed the header"), {@code new GZIPInputStream(in)}: the
   * constructor reads from {@code in}, so it waits when {@code in} comes from a blocking origin.
   */
  Optional<BlockingMethod> matchNew(ObjectCreationExpr o, FileAnalysis fa) {
    if (o.getArguments().isEmpty() || o.getAnonymousClassBody().isPresent()) {
      return Optional.empty();
    }
    String simple = o.getType().getNameAsString();
    if (HEADER_READERS.stream().noneMatch(r -> r.endsWith("." + simple))) {
      return Optional.empty(); // the name first: resolving every new under a lock costs
    }
    JType t = fa.typer.context().resolve(o.getType());
    if (t.kind() != JType.Kind.CLASS || !HEADER_READERS.contains(t.name())) {
      return Optional.empty();
    }
    for (Origins.Value v : fa.origins.of(o.getArgument(0), fa.typer, fa.file())) {
      Optional<Found> found = classify(v, fa, Direction.INPUT, 0, new Search(false, false));
      if (found.isPresent()) {
        Found f = found.get();
        String why = "reads the stream's header: " + kinds.get(f.kind()).get(Direction.INPUT) + ", from `" + f.text()
            + "` at " + where(f, fa) + passed(f);
        return Optional.of(new BlockingMethod(t.name(), BlockingMethod.NEW, List.of(), BlockingMethod.Releases.NOTHING, why));
      }
    }
    return Optional.empty();
  }

  private static String where(Found f, FileAnalysis fa) {
    String line = "line " + f.line();
    return f.file() == null || f.file().equals(fa.file()) ? line : f.file().getFileName() + " " + line;
  }

  /** The call sites a parameter's origin was passed through, from the origin's side: ", passed as an argument at A → B". */
  private static String passed(Found f) {
    if (f.via().isEmpty()) {
      return "";
    }
    List<String> sites = new java.util.ArrayList<>(f.via());
    java.util.Collections.reverse(sites);
    return ", passed as an argument at " + String.join(" → ", sites);
  }

  /**
   * A blocking origin: its kind, the origin as written, and where; {@code via}: the call sites that
   * passed it down as an argument, the call into the method holding the lock first.
   */
  private record Found(String kind, String text, int line, Path file, List<String> via) {
    Found(String kind, String text, int line, Path file) {
      this(kind, text, line, file, List.of());
    }

    Found calledAt(String site) {
      List<String> out = new java.util.ArrayList<>();
      out.add(site);
      out.addAll(via);
      return new Found(kind, text, line, file, List.copyOf(out));
    }
  }

  /** Parameters followed to their call sites, at most (ZooKeeper's snapshot archive is passed down four calls). */
  static final int MAX_PARAMETER_HOPS = 6;

  /**
   * A method whose name is called in more files than this, or in more than {@link #MAX_CALLER_FILES}
   * that name its class, is not searched for its call sites (cost, and the answer would be vague).
   */
  static final int MAX_NAMED_FILES = 400;

  static final int MAX_CALLER_FILES = 50;

  /**
   * One search for an origin: {@code archive} when the receiver is not a stream but may be built over
   * one (then a constructor or factory call taking a blocking stream counts); the parameters being
   * followed (a cycle ends there); {@code cut} when a bound or a cycle ended a branch, so the result
   * is not memoised.
   */
  private static final class Search {
    final boolean archive;
    final boolean parameters;
    final Set<String> following = new HashSet<>();
    int hops;
    boolean cut;

    Search(boolean archive, boolean parameters) {
      this.archive = archive;
      this.parameters = parameters;
    }
  }

  private static boolean isParameter(Expression e, ExprTyper typer) {
    return e instanceof NameExpr n && typer.declarationOf(n.getNameAsString(), n)
        .map(d -> d instanceof ExprTyper.Decl.Param p && p.parameter().getParentNode().orElse(null) instanceof MethodDeclaration)
        .orElse(false);
  }

  private Optional<Found> classify(Origins.Value v, FileAnalysis fa, Direction direction, int depth) {
    return classify(v, fa, direction, depth, new Search(false, false));
  }

  private Optional<Found> classify(Origins.Value v, FileAnalysis fa, Direction direction, int depth, Search search) {
    if (depth > MAX_WRAPPERS) {
      return Optional.empty();
    }
    Expression e = v.expr();
    ExprTyper typer = v.typer();
    switch (e) {
      case ObjectCreationExpr o -> {
        JType t = typer.context().resolve(o.getType());
        if (t.kind() != JType.Kind.CLASS) {
          return Optional.empty();
        }
        for (Origin origin : origins) {
          if (origin.newType() != null && typer.isSubtype(t, origin.newType()) && holds(origin, o.getArguments())) {
            return blocking(origin.kind(), e, v, direction);
          }
        }
        for (Wrapper w : wrappers) {
          if (w.newType() != null && typer.isSubtype(t, w.newType()) && o.getArguments().size() > w.argument()) {
            return wrapped(o.getArgument(w.argument()), v, fa, direction, depth, search);
          }
        }
        if (isStreamType(typer, t)) {
          // new BufferedOutputStream(out, 8192), new InputStreamReader(in, UTF_8): the first stream argument
          for (Expression arg : o.getArguments()) {
            JType at = typer.typeOf(arg);
            if (isStreamType(typer, at) || at.kind() == JType.Kind.UNKNOWN || at.kind() == JType.Kind.UNRESOLVED) {
              Optional<Found> inner = wrapped(arg, v, fa, direction, depth, search);
              if (inner.isPresent() || isStreamType(typer, at)) {
                return inner;
              }
            }
          }
          return Optional.empty();
        }
        return search.archive ? overStream(o.getArguments(), v, fa, direction, depth, search) : Optional.empty();
      }
      case MethodCallExpr m -> {
        String name = m.getNameAsString();
        if (!originMethodNames.contains(name) && wrappers.stream().noneMatch(w -> name.equals(w.method()))) {
          // BinaryOutputArchive.getArchive(out) from a library: an archive over its stream argument
          return search.archive ? overStream(m.getArguments(), v, fa, direction, depth, search) : Optional.empty();
        }
        JType owner = typer.receiverType(m);
        if (owner.kind() != JType.Kind.CLASS) {
          return Optional.empty();
        }
        for (Origin origin : origins) {
          if (name.equals(origin.method()) && typer.isSubtype(owner, origin.owner()) && holds(origin, m.getArguments())) {
            return blocking(origin.kind(), e, v, direction);
          }
        }
        for (Wrapper w : wrappers) {
          if (name.equals(w.method()) && typer.isSubtype(owner, w.owner()) && m.getArguments().size() > w.argument()) {
            return wrapped(m.getArgument(w.argument()), v, fa, direction, depth, search);
          }
        }
        return Optional.empty();
      }
      case FieldAccessExpr f -> {
        for (Origin origin : origins) {
          if (origin.field() != null && isField(typer, f, origin.field())) {
            return blocking(origin.kind(), e, v, direction);
          }
        }
        return Optional.empty();
      }
      case NameExpr n -> {
        return parameter(n, v, fa, direction, search);
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** An archive (or codec) made over a stream: the first of the arguments of a stream type that comes from a blocking origin. */
  private Optional<Found> overStream(List<Expression> args, Origins.Value v, FileAnalysis fa, Direction direction,
      int depth, Search search) {
    for (Expression arg : args) {
      JType at = v.typer().typeOf(arg);
      if (isStreamType(v.typer(), at)) {
        Optional<Found> inner = wrapped(arg, v, fa, direction, depth, search);
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A parameter of a method of the sources: what its call sites pass (issue 12, family 2 through
   * parameters). Every call in the sources that resolves to the method is found (files by name
   * first, {@link SourceIndex#filesCalling}), and the argument at the parameter's position is traced
   * like any value, through the callers' own parameters in turn, {@link #MAX_PARAMETER_HOPS} calls
   * at most. One call site passing a blocking stream is enough; a method with no call site in the
   * sources, or one called from too many files, is not a reason. Memoised per method and parameter.
   */
  private Optional<Found> parameter(NameExpr n, Origins.Value v, FileAnalysis fa, Direction direction, Search search) {
    ExprTyper typer = v.typer();
    if (!search.parameters || !(typer.declarationOf(n.getNameAsString(), n).orElse(null) instanceof ExprTyper.Decl.Param p)
        || !(p.parameter().getParentNode().orElse(null) instanceof CallableDeclaration<?> md)
        || (md instanceof MethodDeclaration m && m.getBody().isEmpty()) || p.parameter().isVarArgs()
        || !(md.getParentNode().orElse(null) instanceof TypeDeclaration<?> owner) || md.getBegin().isEmpty()) {
      return Optional.empty();
    }
    int index = md.getParameters().indexOf(p.parameter());
    String declaring = typer.context().qualifiedName(owner);
    if (index < 0 || declaring == null) {
      return Optional.empty();
    }
    String key = declaring + "#" + md.getNameAsString() + "@" + md.getBegin().get().line + ":" + md.getBegin().get().column
        + "/" + index + "/" + direction + (search.archive ? "/archive" : "");
    var memo = fa.follower.shared().parameterOrigins;
    Optional<Object> known = memo.get(key);
    if (known != null) {
      return known.map(Found.class::cast);
    }
    if (search.hops >= MAX_PARAMETER_HOPS || !search.following.add(key)) {
      search.cut = true;
      return Optional.empty();
    }
    boolean cutBefore = search.cut;
    search.cut = false;
    search.hops++;
    Optional<Found> found;
    try {
      found = callSites(md, index, declaring, fa, direction, search);
    } finally {
      search.hops--;
      search.following.remove(key);
    }
    if (!search.cut || found.isPresent()) {
      memo.putIfAbsent(key, found.map(Object.class::cast));
    }
    search.cut |= cutBefore;
    return found;
  }

  private Optional<Found> callSites(CallableDeclaration<?> md, int index, String declaring, FileAnalysis fa,
      Direction direction, Search search) {
    Found[] found = new Found[1];
    CallSites.visit(md, index, declaring, fa, false, (arg, there, file, line) -> {
      for (Origins.Value v : fa.origins.of(arg, there, file)) {
        Optional<Found> f = classify(v, fa, direction, 0, search);
        if (f.isPresent()) {
          found[0] = f.get().calledAt(file.getFileName() + ":" + line);
          return true;
        }
      }
      return false;
    });
    return Optional.ofNullable(found[0]);
  }

  private Optional<Found> wrapped(Expression inner, Origins.Value outer, FileAnalysis fa, Direction direction,
      int depth, Search search) {
    for (Origins.Value v : fa.origins.of(inner, outer.typer(), outer.file(), outer.bound())) {
      Optional<Found> f = classify(v, fa, direction, depth + 1, search);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  private Optional<Found> blocking(String kind, Expression origin, Origins.Value v, Direction direction) {
    Map<Direction, String> k = kinds.get(kind);
    if (k == null || !k.containsKey(direction)) {
      return Optional.empty();
    }
    String text = origin.toString().replaceAll("\\s+", " ");
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return Optional.of(new Found(kind, text, origin.getBegin().map(p -> p.line).orElse(0), v.file()));
  }

  /** The origin's condition: {@code SYNC}/{@code DSYNC} among the arguments, or mode "rws"/"rwd". */
  private static boolean holds(Origin origin, List<Expression> args) {
    if (origin.when() == null) {
      return true;
    }
    return switch (origin.when()) {
      case "sync-option" -> args.stream().anyMatch(a -> a.findFirst(Expression.class, x ->
          (x instanceof NameExpr n && isSyncOption(n.getNameAsString()))
              || (x instanceof FieldAccessExpr f && isSyncOption(f.getNameAsString()))).isPresent());
      case "sync-mode" -> args.size() > 1 && args.get(1) instanceof StringLiteralExpr s
          && (s.getValue().equals("rws") || s.getValue().equals("rwd"));
      default -> false;
    };
  }

  private static boolean isSyncOption(String name) {
    return name.equals("SYNC") || name.equals("DSYNC");
  }

  /** {@code System.in} as written, or qualified; the scope must be the class, not a variable of that name. */
  private static boolean isField(ExprTyper typer, FieldAccessExpr f, String qualified) {
    int dot = qualified.lastIndexOf('.');
    if (!f.getNameAsString().equals(qualified.substring(dot + 1))) {
      return false;
    }
    JType scope = typer.scopeType(f.getScope());
    return scope.kind() == JType.Kind.CLASS && scope.name().equals(qualified.substring(0, dot))
        && !(f.getScope() instanceof NameExpr n && typer.declarationOf(n.getNameAsString(), n).isPresent());
  }

  private boolean isStreamType(ExprTyper typer, JType t) {
    return t.kind() == JType.Kind.CLASS && t.dims() == 0
        && (isA(typer, t, types.get(Direction.INPUT)) || isA(typer, t, types.get(Direction.OUTPUT)));
  }

  private static boolean isA(ExprTyper typer, JType t, List<String> owners) {
    for (String o : owners) {
      if (typer.isSubtype(t, o)) {
        return true;
      }
    }
    return false;
  }
}
