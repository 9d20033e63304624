package io.switchboard.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a client payload against the JSON schema of its event ({@code schemas/<event>.json},
 * draft 2020-12, with networknt's validator: a couple of microseconds a request, on the hot path of
 * every message) and maps it onto the event's record. Problems become {@code VALIDATION_ERROR} with
 * one {@code {field, message}} per problem.
 */
final class RequestDecoder {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  <T> T decode(String event, List<Object> args, Class<T> type) {
    Object payload = args.isEmpty() ? null : args.get(0);
    if (!(payload instanceof JsonObject json)) {
      throw Replies.invalid("", "the payload must be a JSON object");
    }
    JsonNode node = Json.MAPPER.valueToTree(json.getMap());
    Set<ValidationMessage> problems = schemas.computeIfAbsent(event, RequestDecoder::load).validate(node);
    if (!problems.isEmpty()) {
      throw Replies.invalid(details(problems));
    }
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException outOfRange) {
      // The schema passed but a value does not fit its Java type (say, a number beyond a long).
      throw Replies.invalid("", "a value is out of range for " + event);
    }
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
