package dev.sharedstate.lockcheck.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The built-in catalogue is read without an ObjectMapper; the tree must be the one a mapper reads. */
class CatalogueTreeTest {

  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  private static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void builtInFilesReadAsAMapperReadsThem() throws IOException {
    java.util.List<String> files = new java.util.ArrayList<>(java.util.List.of("index.json"));
    Catalogue.builtIn().units().forEach(u -> files.add(u + ".json"));
    for (String f : files) {
      try (InputStream a = Catalogue.class.getResourceAsStream(f);
           InputStream b = Catalogue.class.getResourceAsStream(f)) {
        assertEquals(MAPPER.readTree(b), Catalogue.readTree(a), f);
      }
    }
  }

  @Test
  void everyKindOfValueMatches() throws IOException {
    String json = """
        // a comment
        {"s": "x", "i": 1, "l": 12345678901, "b": 123456789012345678901234567890, "d": 1.5,
         "t": true, "f": false, "n": null, "a": [1, "two", [], {},], "o": {"k": [null]},}
        """;
    assertEquals(MAPPER.readTree(json), Catalogue.readTree(in(json)));
  }

  @Test
  void brokenJsonIsAnError() {
    assertThrows(IOException.class, () -> Catalogue.readTree(in("")));
    assertThrows(IOException.class, () -> Catalogue.readTree(in("{} {}")));
    assertThrows(IOException.class, () -> Catalogue.readTree(in("{\"a\": ")));
  }
}
