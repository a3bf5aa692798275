package dev.sharedstate.lockcheck.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstate.lockcheck.CheckResult;
import dev.sharedstate.lockcheck.Finding;
import dev.sharedstate.lockcheck.Lockcheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's {@code --catalogue FILE} has every section of a built-in unit: wildcards, locks, types. */
class UserCatalogueTest {

  @TempDir
  Path tmp;

  @Test
  void aUserFileDeclaresWildcardsLocksAndTypes() throws IOException {
    Path cat = Files.writeString(tmp.resolve("kv.json"), """
        // a project's key-value client and latch
        {
          "library": "example kv client",
          "blocking": [
            {"owner": "com.example.kv.Client", "method": "*", "except": ["isOpen"], "why": "a round trip"},
          ],
          "locks": [
            {"owner": "com.example.kv.Latch", "method": "hold", "kind": "wrapper", "arity": [0]}
          ],
          "types": [
            {"name": "com.example.kv.Pool", "returns": {"borrow": "com.example.kv.Client"}}
          ]
        }
        """);
    Path src = Files.writeString(tmp.resolve("Use.java"), """
        import com.example.kv.Latch;
        import com.example.kv.Pool;
        class Use {
          Latch latch;
          Pool pool;
          String get() {
            try (var h = latch.hold()) {
              pool.borrow().isOpen();
              return pool.borrow().get("k");
            }
          }
        }
        """);
    CheckResult r = Lockcheck.withDefaults().withCatalogue(List.of(cat), List.of()).check(List.of(src));
    assertEquals(List.of(9), r.findings().stream().map(Finding::line).toList(), r.findings().toString());
    assertTrue(r.findings().get(0).message().contains("a round trip"), r.findings().get(0).message());
  }

  @Test
  void aBadEntryIsNamedWhenTheFileIsRead() throws IOException {
    Path cat = Files.writeString(tmp.resolve("bad.json"), """
        {"blocking": [{"owner": "a.B", "method": "c", "arty": [1]}]}
        """);
    Catalogue.CatalogueException e = assertThrows(Catalogue.CatalogueException.class,
        () -> Catalogue.builtIn().extendedWith(List.of(cat), List.of()));
    assertTrue(e.getMessage().contains("bad.json: blocking[0]: unknown key \"arty\""), e.getMessage());
    Path except = Files.writeString(tmp.resolve("except.json"), """
        {"blocking": [{"owner": "a.B", "method": "c", "except": ["d"]}]}
        """);
    e = assertThrows(Catalogue.CatalogueException.class, () -> Catalogue.builtIn().extendedWith(List.of(except), List.of()));
    assertTrue(e.getMessage().contains("\"except\" only goes with \"method\": \"*\""), e.getMessage());
  }
}
