package io.switchboard.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.switchboard.common.bus.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decoders of client payloads: each validates the payload against the JSON schema of its event
 * ({@code schemas/<event>.json}, draft 2020-12, with networknt's validator: a couple of microseconds a
 * request, on the hot path of every message) and maps it onto the event's record. Problems become
 * {@code VALIDATION_ERROR} with one {@code {field, message}} per problem. A decoder loads its schema
 * when it is made, so a missing schema stops the gateway's start, not a request.
 */
final class RequestDecoder {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RequestDecoder() {}

  /** Validated, then mapped onto {@code type} by Jackson. */
  static <T> Function<List<Object>, T> validated(String event, Class<T> type) {
    JsonSchema schema = load(event);
    return args -> {
      JsonNode node = checked(schema, args);
      try {
        return Json.MAPPER.treeToValue(node, type);
      } catch (JsonProcessingException | IllegalArgumentException outOfRange) {
        // The schema passed but a value does not fit its Java type (say, a number beyond a long).
        throw Replies.invalid("", "a value is out of range for " + event);
      }
    };
  }

  /** Validated, then mapped by {@code mapping} from the payload (for the hottest events). */
  static <T> Function<List<Object>, T> validated(String event, Function<JsonObject, T> mapping) {
    JsonSchema schema = load(event);
    return args -> {
      checked(schema, args);
      return mapping.apply((JsonObject) args.get(0));
    };
  }

  private static JsonNode checked(JsonSchema schema, List<Object> args) {
    Object payload = args.isEmpty() ? null : args.get(0);
    if (!(payload instanceof JsonObject json)) {
      throw Replies.invalid("", "the payload must be a JSON object");
    }
    JsonNode node = tree(json);
    Set<ValidationMessage> problems = schema.validate(node);
    if (!problems.isEmpty()) {
      throw Replies.invalid(details(problems));
    }
    return node;
  }

  /**
   * The payload as a Jackson tree, built directly: {@code valueToTree} serializes the map and parses
   * the tokens back, a noticeable share of every {@code send-message}.
   */
  static JsonNode tree(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String text) {
      return NODES.textNode(text);
    }
    if (value instanceof Integer n) {
      return NODES.numberNode(n);
    }
    if (value instanceof Long n) {
      return NODES.numberNode(n);
    }
    if (value instanceof Double n) {
      return NODES.numberNode(n);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof JsonObject object) {
      ObjectNode node = NODES.objectNode();
      for (Map.Entry<String, Object> entry : object.getMap().entrySet()) {
        node.set(entry.getKey(), tree(entry.getValue()));
      }
      return node;
    }
    if (value instanceof JsonArray array) {
      ArrayNode node = NODES.arrayNode(array.size());
      for (Object item : array.getList()) {
        node.add(tree(item));
      }
      return node;
    }
    // Anything rarer (other numbers, raw maps and lists, binary attachments): Jackson's own mapping.
    return Json.MAPPER.valueToTree(value);
  }

  private static JsonArray details(Set<ValidationMessage> problems) {
    JsonArray details = new JsonArray();
    for (ValidationMessage problem : problems) {
      String field = problem.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
      if ("required".equals(problem.getType()) && problem.getProperty() != null) {
        field = field.isEmpty() ? problem.getProperty() : field + "." + problem.getProperty();
      }
      details.add(new JsonObject().put("field", field).put("message", problem.getMessage()));
    }
    return details;
  }

  private static JsonSchema load(String event) {
    try (InputStream in = RequestDecoder.class.getResourceAsStream("/schemas/" + event + ".json")) {
      if (in == null) {
        throw new IllegalStateException("no schema for event " + event);
      }
      return FACTORY.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
