package io.switchboard.gateway.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWKS document (a file, or an http(s) URL of the token issuer), kept current: read at
 * start, then again every refresh period and when a token names a key id the set does not hold (an
 * issuer rotating its keys), at most once per {@link #MIN_REFRESH_MS}. A failed refresh keeps the
 * keys in force and is retried at the next occasion. Fetches are bounded in time and size, so a slow
 * or hostile key server cannot hold the gateway.
 */
final class KeySet {
  private static final Logger LOG = LoggerFactory.getLogger(KeySet.class);
  static final long MIN_REFRESH_MS = 30_000;
  static final int MAX_BYTES = 256 * 1024;
  static final int TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String location;
  private final Consumer<List<JsonObject>> onKeys;
  private final LongSupplier clock;
  private final int timeoutMs;
  private final HttpClient http;
  private final Context context;
  private volatile Set<String> kids = Set.of();
  private long lastFetchMs = Long.MIN_VALUE / 2;
  private Future<Void> inFlight;
  private long timer = -1;

  /**
   * {@code onKeys} receives each new, checked set of keys, the first one included; a fetch that takes
   * longer than {@code timeoutMs} in all fails.
   */
  KeySet(Vertx vertx, String location, Consumer<List<JsonObject>> onKeys, LongSupplier clock, int timeoutMs) {
    this.vertx = vertx;
    this.location = location;
    this.onKeys = onKeys;
    this.clock = clock;
    this.timeoutMs = timeoutMs;
    this.context = vertx.getOrCreateContext();
    this.http = isUrl(location) ? vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)) : null;
  }

  /** Reads the keys once (failing when they cannot be had), then refreshes them every {@code periodMs}. */
  Future<Void> start(long periodMs) {
    return refresh().onSuccess(v -> {
      if (periodMs > 0) {
        timer = vertx.setPeriodic(periodMs, id -> refresh());
      }
    });
  }

  /** Whether the set holds a key with this id. */
  boolean knows(String kid) {
    return kids.contains(kid);
  }

  /**
   * Reads the set again unless it was read in the last {@link #MIN_REFRESH_MS}; completes when the
   * read is over (or at once when throttled). Concurrent callers share one read.
   */
  synchronized Future<Void> refreshSoon() {
    if (inFlight != null) {
      return inFlight;
    }
    if (clock.getAsLong() - lastFetchMs < MIN_REFRESH_MS) {
      return Future.succeededFuture();
    }
    return refresh().recover(failure -> Future.succeededFuture());
  }

  private synchronized Future<Void> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    lastFetchMs = clock.getAsLong();
    inFlight = document().map(this::keys).map(keys -> {
      kids = keys.stream().map(k -> k.getString("kid")).filter(java.util.Objects::nonNull).collect(Collectors.toUnmodifiableSet());
      onKeys.accept(keys);
      return (Void) null;
    }).onFailure(failure -> LOG.atWarn().setMessage("auth.jwks_refresh_failed").addKeyValue("location", location)
        .addKeyValue("cause", failure.getMessage()).log())
        .onComplete(done -> {
          synchronized (this) {
            inFlight = null;
          }
        });
    return inFlight;
  }

  private List<JsonObject> keys(Buffer body) {
    JsonArray keys;
    try {
      keys = new JsonObject(body).getJsonArray("keys");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("auth: JWKS " + location + " is not a JSON key set");
    }
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("auth: JWKS " + location + " has no keys");
    }
    List<JsonObject> list = keys.stream().map(k -> k instanceof JsonObject o ? o : new JsonObject()).toList();
    SigningKeys.requirePublicKeys(list, location);
    return list;
  }

  private Future<Buffer> document() {
    if (http == null) {
      return vertx.fileSystem().props(location).compose(props -> props.size() > MAX_BYTES
          ? Future.failedFuture(tooLarge()) : vertx.fileSystem().readFile(location));
    }
    Promise<Buffer> body = Promise.promise();
    // On the key set's own context, so that the response's handlers are set as its head arrives,
    // before its body: callbacks emitted to another thread could come after the body ended.
    context.runOnContext(v -> fetch(body));
    return body.future();
  }

  private void fetch(Promise<Buffer> body) {
    // One deadline for the whole fetch: a server that trickles bytes never trips an idle timeout.
    long deadline = vertx.setTimer(timeoutMs,
        t -> body.tryFail("auth: JWKS " + location + " took longer than " + timeoutMs + " ms"));
    body.future().onComplete(done -> vertx.cancelTimer(deadline));
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(location)
            .setIdleTimeout(timeoutMs).setConnectTimeout(timeoutMs))
        .onSuccess(req -> body.future().onFailure(failed -> req.reset()))
        .compose(req -> req.send())
        .onSuccess(res -> {
          if (res.statusCode() != 200) {
            body.tryFail("auth: JWKS " + location + " answered " + res.statusCode());
          } else {
            receive(res, body);
          }
        })
        .onFailure(body::tryFail);
  }

  /** Collects the body into {@code body}, failing it as soon as it passes {@link #MAX_BYTES}. */
  private void receive(HttpClientResponse res, Promise<Buffer> body) {
    Buffer received = Buffer.buffer();
    res.handler(chunk -> {
      if (received.length() + chunk.length() > MAX_BYTES) {
        body.tryFail(tooLarge());
      } else {
        received.appendBuffer(chunk);
      }
    });
    res.exceptionHandler(body::tryFail);
    res.endHandler(v -> body.tryComplete(received));
  }

  private IllegalArgumentException tooLarge() {
    return new IllegalArgumentException("auth: JWKS " + location + " is larger than " + MAX_BYTES + " bytes");
  }

  private static boolean isUrl(String location) {
    return location.startsWith("http://") || location.startsWith("https://");
  }

  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (http != null) {
      http.close();
    }
  }
}
