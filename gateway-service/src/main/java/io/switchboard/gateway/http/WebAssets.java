package io.switchboard.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser pages on the classpath under {@code public/} (built by the {@code web} module): the chat
 * app at {@code /}, the operator console at {@code /console}. Assets under {@code /assets/} carry a
 * content hash in their names, so they are cached for a year as immutable; the pages are revalidated
 * at every load ({@code no-cache}, answered 304 while unchanged), so a new build is picked up at once.
 */
public final class WebAssets {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";

  private WebAssets() {}

  /** Mount last: the static files answer what no other route did. */
  public static void mount(Router router) {
    StaticHandler files = StaticHandler.create("public").setCachingEnabled(true).setIncludeHidden(false);
    router.get("/console").handler(ctx -> ctx.reroute("/console.html"));
    router.get("/*").handler(WebAssets::cacheControl).handler(files);
  }

  private static void cacheControl(RoutingContext ctx) {
    // StaticHandler keeps a Cache-Control header that is already set.
    ctx.response().putHeader("Cache-Control", ctx.normalizedPath().startsWith("/assets/") ? IMMUTABLE : REVALIDATE);
    ctx.next();
  }
}
