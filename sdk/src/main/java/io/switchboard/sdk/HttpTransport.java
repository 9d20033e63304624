package io.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The HTTP API of the gateway ({@code POST /api/publish}, {@code /api/messages}, {@code /api/rooms})
 * with {@code Authorization: Bearer <SERVICE_TOKEN>}, on the JDK's own {@link HttpClient}: no
 * dependency beyond Jackson, asynchronous, HTTP/1.1 keep-alive connections reused across calls.
 */
public final class HttpTransport implements Transport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String serviceToken;
  private final HttpClient http;

  /**
   * @param base the gateway's public URL, e.g. {@code http://localhost:3000}
   * @param serviceToken the gateway's {@code SERVICE_TOKEN}
   * @param connectTimeout how long opening a connection may take
   */
  public HttpTransport(URI base, String serviceToken, Duration connectTimeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.serviceToken = Objects.requireNonNull(serviceToken, "serviceToken");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
  }

  @Override
  public CompletableFuture<JsonNode> call(Operation operation, ObjectNode body, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(operation.path())).timeout(timeout)
        .header("content-type", "application/json").header("Authorization", "Bearer " + serviceToken)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
      if (failure != null) {
        throw unreachable(operation, timeout, failure instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : failure);
      }
      JsonNode reply = parse(response.body());
      if (response.statusCode() / 100 == 2) {
        return reply;
      }
      throw refusal(response.statusCode(), reply);
    });
  }

  private static SwitchboardException unreachable(Operation operation, Duration timeout, Throwable failure) {
    String what = failure instanceof HttpTimeoutException ? "no answer within " + timeout.toMillis() + " ms"
        : "cannot reach Switchboard: " + failure;
    return new SwitchboardException(ErrorCode.UNAVAILABLE, 0, operation.path() + ": " + what, null, failure);
  }

  /**
   * {@code {ok: false, error: {code, message, ...}}}, or, for the service token's refusals and
   * {@code /api/publish}'s, {@code {ok: false, error: "message"}}: then the status says the code.
   */
  static SwitchboardException refusal(int status, JsonNode reply) {
    JsonNode error = reply == null ? null : reply.get("error");
    if (error != null && error.isObject() && error.hasNonNull("code")) {
      ErrorCode code;
      try {
        code = ErrorCode.valueOf(error.get("code").asText());
      } catch (IllegalArgumentException unknown) {
        code = byStatus(status);
      }
      JsonNode retryAfter = error.get("retryAfterMs");
      return new SwitchboardException(code, status, error.path("message").asText(""),
          retryAfter != null && retryAfter.canConvertToLong() ? retryAfter.asLong() : null, null);
    }
    String message = error != null && error.isTextual() ? error.asText() : "HTTP " + status;
    return new SwitchboardException(byStatus(status), status, message, null, null);
  }

  private static ErrorCode byStatus(int status) {
    return switch (status) {
      case 401 -> ErrorCode.AUTH_FAILED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 429 -> ErrorCode.RATE_LIMITED;
      default -> status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.VALIDATION_ERROR;
    };
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable only from Java 21; its threads end with it being unreachable.
  }
}
