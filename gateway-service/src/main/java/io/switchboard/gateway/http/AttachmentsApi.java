package io.switchboard.gateway.http;

import io.switchboard.common.Addresses;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.bus.Json;
import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.ClientEvents;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.fanout.Fanout;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of attachments over HTTP (docs/protocol.md, "Attachments"); message-service decides who
 * may and where the bytes are. {@code PUT /api/uploads/:id?token=} (the local store): streamed to the
 * store's file with a hard cap at the declared size, the uploader's devices told how it goes
 * ({@code upload-progress}, at most every 64 KB and 100 ms, and at the end).
 * {@code GET /api/attachments/:id} and {@code .../thumbnail} with the user's token as a bearer: a
 * redirect to the object store's presigned URL, or the file streamed (never sniffed as another type).
 */
public final class AttachmentsApi {
  private static final Logger LOG = LoggerFactory.getLogger(AttachmentsApi.class);
  static final long PROGRESS_BYTES = 64 * 1024;
  static final long PROGRESS_MS = 100;

  private final Vertx vertx;
  private final EventBus bus;
  private final TokenVerifier tokens;
  private final Fanout fanout;
  private final DeliveryOptions options;

  public AttachmentsApi(Vertx vertx, TokenVerifier tokens, Fanout fanout, long timeoutMs) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.tokens = tokens;
    this.fanout = fanout;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void mount(Router router) {
    router.put("/api/uploads/:id").handler(this::upload);
    router.get("/api/attachments/:id").handler(ctx -> download(ctx, AttachmentAccess.Kind.DOWNLOAD));
    router.get("/api/attachments/:id/thumbnail").handler(ctx -> download(ctx, AttachmentAccess.Kind.THUMBNAIL));
  }

  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Held until message-service has said where the bytes go.
    request.pause();
    AttachmentAccess access = new AttachmentAccess(AttachmentAccess.Kind.UPLOAD, ctx.pathParam("id"), null, null,
        request.getParam("token"));
    bus.<AttachmentGrant>request(Addresses.ATTACHMENT_ACCESS, access, options).map(Message::body).onComplete(grant -> {
      String length = request.getHeader("Content-Length");
      if (length != null && parse(length) > grant.size()) {
        refuse(ctx, ErrorCode.UPLOAD_TOO_LARGE, "the body is larger than the size declared: " + grant.size() + " bytes");
        return;
      }
      receive(ctx, grant);
    }, failure -> refuse(ctx, ServiceException.codeOf(failure), failure.getMessage()));
  }

  private void receive(RoutingContext ctx, AttachmentGrant grant) {
    HttpServerRequest request = ctx.request();
    String part = grant.file() + ".part";
    vertx.fileSystem().open(part, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .onFailure(failure -> refuse(ctx, ErrorCode.INTERNAL, "the store cannot take the file"))
        .onSuccess(file -> {
          Progress progress = new Progress(grant);
          request.handler(chunk -> {
            if (progress.failed) {
              return;
            }
            progress.received += chunk.length();
            if (progress.received > grant.size()) {
              progress.failed = true;
              discard(file, part);
              refuse(ctx, ErrorCode.UPLOAD_TOO_LARGE, "the body is larger than the size declared: " + grant.size() + " bytes");
              return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
              request.pause();
              file.drainHandler(v -> request.resume());
            }
            progress.tell(false);
          });
          request.exceptionHandler(failure -> {
            progress.failed = true;
            discard(file, part);
          });
          request.endHandler(v -> {
            if (progress.failed) {
              return;
            }
            if (progress.received != grant.size()) {
              discard(file, part);
              refuse(ctx, ErrorCode.VALIDATION_ERROR, "the body has " + progress.received + " bytes, not the "
                  + grant.size() + " declared");
              return;
            }
            file.close().compose(closed -> vertx.fileSystem().move(part, grant.file(),
                new io.vertx.core.file.CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
                .onSuccess(moved -> {
                  progress.tell(true);
                  ServiceToken.reply(ctx, 200, new JsonObject().put("ok", true).put("attachment", Json.toJson(grant.attachment())));
                })
                .onFailure(failure -> {
                  LOG.warn("attachment upload not stored attachmentId={} error=\"{}\"", grant.attachment().id(), failure.toString());
                  refuse(ctx, ErrorCode.INTERNAL, "the store cannot take the file");
                });
          });
          request.resume();
        });
  }

  /** An upload under way: how many bytes came, and when the uploader was last told. */
  private final class Progress {
    final AttachmentGrant grant;
    long received;
    long told;
    long toldAt;
    boolean failed;

    Progress(AttachmentGrant grant) {
      this.grant = grant;
    }

    void tell(boolean done) {
      long now = System.currentTimeMillis();
      if (!done && (received - told < PROGRESS_BYTES || now - toldAt < PROGRESS_MS)) {
        return;
      }
      told = received;
      toldAt = now;
      fanout.publish(new RoomEvent(ClientEvents.userRoom(grant.tenant(), grant.userId()), ClientEvents.UPLOAD_PROGRESS,
          new JsonObject().put("attachmentId", grant.attachment().id()).put("received", received)
              .put("total", grant.size()), null));
    }
  }

  private void discard(AsyncFile file, String part) {
    file.close().eventually(() -> vertx.fileSystem().delete(part)).onFailure(ignored -> { });
  }

  private void download(RoutingContext ctx, AttachmentAccess.Kind kind) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      refuse(ctx, ErrorCode.AUTH_FAILED, "a bearer token is required");
      return;
    }
    tokens.verify(header.substring(7).trim())
        .compose(principal -> bus.<AttachmentGrant>request(Addresses.ATTACHMENT_ACCESS, new AttachmentAccess(kind,
            ctx.pathParam("id"), principal.sender().tenant(), principal.sender().userId(), null), options))
        .map(Message::body)
        .onComplete(grant -> serve(ctx, grant), failure -> refuse(ctx, ServiceException.codeOf(failure), failure.getMessage()));
  }

  private void serve(RoutingContext ctx, AttachmentGrant grant) {
    var response = ctx.response().putHeader("Cache-Control", "private, no-store");
    if (grant.redirect() != null) {
      response.setStatusCode(302).putHeader("Location", grant.redirect()).end();
      return;
    }
    response.putHeader("Content-Type", grant.contentType())
        .putHeader("Content-Disposition", grant.disposition())
        .putHeader("X-Content-Type-Options", "nosniff")
        // Served from the chat's own origin: never run as a page, whatever a file holds.
        .putHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    response.sendFile(grant.file()).onFailure(missing -> {
      if (!response.headWritten()) {
        response.headers().remove("Content-Disposition");
        refuse(ctx, ErrorCode.NOT_FOUND, "the file is not there");
      }
    });
  }

  /** {@code {ok: false, error}}: statuses by code, and the connection closed when a body may still be coming. */
  private static void refuse(RoutingContext ctx, ErrorCode code, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    int status = switch (code) {
      case UPLOAD_TOO_LARGE -> 413;
      case AUTH_FAILED, TOKEN_EXPIRED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case VALIDATION_ERROR -> 400;
      case UNAVAILABLE -> 503;
      default -> 500;
    };
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.PUT && !ctx.request().isEnded()) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.response().putHeader("Content-Type", "application/json").setStatusCode(status).end(new JsonObject().put("ok", false)
        .put("error", new JsonObject().put("code", code.name()).put("message", message == null ? code.name() : message)).encode());
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
