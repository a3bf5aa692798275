package dev.sharedstate.lockcheck.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the built-in data files under {@code dev/sharedstate/lockcheck/origins/} ({@code streams.json},
 * {@code queues.json}): JSON with comments and trailing commas, read with Jackson's streaming parser
 * (no ObjectMapper start-up), as the blocking catalogue is.
 */
final class OriginData {

  private OriginData() {}

  /** The resource {@code origins/<name>} as a tree; a missing or broken built-in file is a build error. */
  static JsonNode read(String name) {
    String path = "/dev/sharedstate/lockcheck/origins/" + name;
    try (InputStream in = OriginData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("lockcheck is missing its resource " + path);
      }
      JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
      try (JsonParser p = factory.createParser(in)) {
        if (p.nextToken() == null) {
          throw new IOException("empty JSON");
        }
        return node(p, JsonNodeFactory.instance);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lockcheck's resource " + path + " is not valid JSON", e);
    }
  }

  /** The strings of an array field ({@code []} when absent). */
  static List<String> strings(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : node.path(field)) {
      out.add(n.asText());
    }
    return List.copyOf(out);
  }

  private static JsonNode node(JsonParser p, JsonNodeFactory f) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          o.set(name, node(p, f));
        }
        yield o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(node(p, f));
        }
        yield a;
      }
      case VALUE_STRING -> f.textNode(p.getText());
      case VALUE_NUMBER_INT -> f.numberNode(p.getLongValue());
      case VALUE_TRUE -> f.booleanNode(true);
      case VALUE_FALSE -> f.booleanNode(false);
      case VALUE_NULL -> f.nullNode();
      default -> throw new IOException("unexpected " + p.currentToken() + " at " + p.currentLocation());
    };
  }
}
