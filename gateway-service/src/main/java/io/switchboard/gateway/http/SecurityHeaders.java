package io.switchboard.gateway.http;

import io.switchboard.common.config.Config;
import io.switchboard.common.config.ConfigKey;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hardening headers on every answer; the served pages may only load their own scripts and styles,
 * and talk to this origin and, when attachments go to S3, to the object store's origin (the browser
 * PUTs an upload to its presigned URL and follows a download's redirect there). Images may also be
 * {@code blob:}: the chat app shows attachments from object URLs, since their downloads want the
 * user's token as a bearer, which an {@code <img src>} cannot send.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  private final String policy;

  public SecurityHeaders(List<String> objectStoreOrigins) {
    String connect = String.join(" ", List.of("'self'", "ws:", "wss:"))
        + (objectStoreOrigins.isEmpty() ? "" : " " + String.join(" ", objectStoreOrigins));
    this.policy = "default-src 'self'; connect-src " + connect + "; img-src 'self' data: blob:; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  }

  /** The Content-Security-Policy header's value. */
  public String policy() {
    return policy;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().headers()
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Content-Security-Policy", policy);
    ctx.next();
  }

  /**
   * The origins a browser reaches S3 at for this configuration's bucket: S3_ENDPOINT's (path-style),
   * or AWS's, where the SDK addresses a bucket by its own host unless its name has dots (path-style
   * then), on the global or the regional host. None with the local store, whose bytes pass here.
   */
  public static List<String> objectStoreOrigins(Config config) {
    if (!"s3".equals(config.string(ConfigKey.ATTACHMENTS_STORE).trim().toLowerCase(Locale.ROOT))) {
      return List.of();
    }
    String endpoint = config.string(ConfigKey.S3_ENDPOINT).trim();
    if (!endpoint.isEmpty()) {
      URI uri = URI.create(endpoint);
      return List.of(uri.getScheme() + "://" + uri.getAuthority());
    }
    String bucket = config.string(ConfigKey.S3_BUCKET).trim();
    String region = config.string(ConfigKey.S3_REGION).trim();
    String prefix = bucket.contains(".") ? "" : bucket + ".";
    List<String> origins = new ArrayList<>();
    origins.add("https://" + prefix + "s3.amazonaws.com");
    origins.add("https://" + prefix + "s3." + region + ".amazonaws.com");
    return origins;
  }
}
