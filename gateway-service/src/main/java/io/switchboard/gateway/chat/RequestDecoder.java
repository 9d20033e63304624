package io.switchboard.gateway.chat;

import io.switchboard.common.bus.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a client payload against the JSON schema of its event ({@code schemas/<event>.json}) and
 * maps it onto the event's record. Problems become {@code VALIDATION_ERROR} with one
 * {@code {field, message}} per problem.
 */
final class RequestDecoder {
  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");

  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  <T> T decode(String event, List<Object> args, Class<T> type) {
    Object payload = args.isEmpty() ? null : args.get(0);
    if (!(payload instanceof JsonObject json)) {
      throw Replies.invalid("", "the payload must be a JSON object");
    }
    OutputUnit result = validators.computeIfAbsent(event, RequestDecoder::load).validate(json);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw Replies.invalid(details(result));
    }
    try {
      return Json.fromJson(json, type);
    } catch (IllegalArgumentException outOfRange) {
      // The schema passed but a value does not fit its Java type (say, a number beyond a long).
      throw Replies.invalid("", "a value is out of range for " + event);
    }
  }

  private static JsonArray details(OutputUnit result) {
    JsonArray details = new JsonArray();
    List<OutputUnit> errors = result.getErrors() == null || result.getErrors().isEmpty() ? List.of(result) : result.getErrors();
    for (OutputUnit error : errors) {
      String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
      String field = location.replaceFirst("^#?/?", "").replace('/', '.');
      Matcher missing = REQUIRED.matcher(String.valueOf(error.getError()));
      if (field.isEmpty() && missing.find()) {
        field = missing.group(1);
      }
      details.add(new JsonObject().put("field", field).put("message", error.getError()));
    }
    return details;
  }

  private static Validator load(String event) {
    try (InputStream in = RequestDecoder.class.getResourceAsStream("/schemas/" + event + ".json")) {
      if (in == null) {
        throw new IllegalStateException("no schema for event " + event);
      }
      JsonObject schema = new JsonObject(Buffer.buffer(in.readAllBytes()));
      return Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri("https://switchboard.invalid/schemas/")
          .setOutputFormat(OutputFormat.Basic));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
