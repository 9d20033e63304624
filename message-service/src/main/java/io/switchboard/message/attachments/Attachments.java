package io.switchboard.message.attachments;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.Attachment;
import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.UploadRequest;
import io.switchboard.common.chat.UploadTicket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachments (docs/protocol.md, "Attachments"): {@code create-upload} checks the room, size and type
 * and says where the bytes go; a gateway asks whether a caller may put or read them; a send that
 * attaches uploads has them checked (its sender's, of its room, uploaded whole) and their
 * descriptors completed once (an image's dimensions and thumbnail) before the batched write stores
 * them with the message. Rows in Postgres (V16); bytes in an {@link AttachmentStore}, whose blocking
 * calls, and the image work, run on worker threads.
 */
public final class Attachments {
  private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
  /** How long an upload may take to start, and a presigned URL lives. */
  static final Duration UPLOAD_TTL = Duration.ofMinutes(15);
  static final Duration DOWNLOAD_TTL = Duration.ofMinutes(5);
  public static final int MAX_PER_MESSAGE = 10;
  /** Images larger than this are not read for a thumbnail. */
  static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String ROOM_FOR_UPLOAD =
      "SELECT m.user_id IS NOT NULL AS member, r.archived_at IS NOT NULL AS archived FROM rooms r "
          + "LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $3 WHERE r.id = $1 AND r.tenant_id = $2";
  private static final String CREATE =
      "INSERT INTO attachments (id, tenant_id, room_id, uploader_id, name, content_type, size, upload_token, expires_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
  private static final String FOR_UPLOAD =
      "SELECT a.*, a.expires_at > now() AS open FROM attachments a WHERE a.id = $1";
  private static final String FOR_READER =
      "SELECT a.*, m.user_id IS NOT NULL AS member FROM attachments a "
          + "LEFT JOIN room_members m ON m.room_id = a.room_id AND m.user_id = $3 WHERE a.id = $1 AND a.tenant_id = $2";
  private static final String FOR_SEND = "SELECT * FROM attachments WHERE id = ANY($1)";
  private static final String ATTACHED =
      "UPDATE attachments SET attached_at = coalesce(attached_at, now()), size = $2, width = $3, height = $4, "
          + "thumbnail = $5, upload_token = NULL WHERE id = $1";

  private final Vertx vertx;
  private final SqlClient db;
  private final AttachmentStore store;
  private final long maxBytes;
  private final ContentTypes types;

  public Attachments(Vertx vertx, SqlClient db, AttachmentStore store, long maxBytes, ContentTypes types) {
    this.vertx = vertx;
    this.db = db;
    this.store = store;
    this.maxBytes = maxBytes;
    this.types = types;
  }

  public AttachmentStore store() {
    return store;
  }

  /** {@code create-upload}: checks, then the attachment's row and where its bytes go. */
  public Future<UploadTicket> create(UploadRequest request) {
    if (request.size() > maxBytes) {
      return Future.failedFuture(ServiceException.of(ErrorCode.UPLOAD_TOO_LARGE,
          "a file may have at most " + maxBytes + " bytes"));
    }
    String type = ContentTypes.normalize(request.contentType());
    if (!types.allows(type)) {
      return Future.failedFuture(ServiceException.of(ErrorCode.UNSUPPORTED_TYPE,
          "files of type " + request.contentType() + " are not accepted"));
    }
    var user = request.user();
    return db.preparedQuery(ROOM_FOR_UPLOAD).execute(Tuple.of(request.roomId(), user.tenant(), user.userId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
          }
          Row room = rows.iterator().next();
          if (!room.getBoolean("member")) {
            return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room"));
          }
          if (room.getBoolean("archived")) {
            return Future.failedFuture(ServiceException.of(ErrorCode.ROOM_ARCHIVED, "the room is archived: read-only"));
          }
          UUID id = UUID.randomUUID();
          Attachment attachment = new Attachment(id.toString(), request.name(), type, request.size(), null, null, false);
          Instant expires = Instant.now().plus(UPLOAD_TTL);
          return vertx.executeBlocking(() -> store.presignPut(id.toString(), type, request.size(), UPLOAD_TTL), false)
              .compose(presigned -> {
                String token = presigned == null ? token() : null;
                Tuple row = Tuple.of(id, user.tenant(), request.roomId(), user.userId(), request.name(), type, request.size())
                    .addValue(token == null ? null : io.vertx.core.buffer.Buffer.buffer(sha256(token)))
                    .addOffsetDateTime(expires.atOffset(java.time.ZoneOffset.UTC));
                return db.preparedQuery(CREATE).execute(row).map(v -> presigned != null
                    ? new UploadTicket(attachment, presigned.url(), "PUT", presigned.headers(), presigned.expiresAt().toString())
                    : new UploadTicket(attachment, "/api/uploads/" + id + "?token=" + token, "PUT",
                        Map.of("Content-Type", type), expires.toString()));
              });
        });
  }

  /** May the caller put ({@code UPLOAD}) or read an attachment's bytes, and where are they. */
  public Future<AttachmentGrant> access(AttachmentAccess access) {
    UUID id;
    try {
      id = UUID.fromString(access.attachmentId());
    } catch (IllegalArgumentException | NullPointerException e) {
      return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such attachment"));
    }
    if (access.kind() == AttachmentAccess.Kind.UPLOAD) {
      return upload(id, access.token());
    }
    return db.preparedQuery(FOR_READER).execute(Tuple.of(id, access.tenant(), access.userId())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such attachment"));
      }
      Row row = rows.iterator().next();
      boolean uploader = row.getString("uploader_id").equals(access.userId());
      boolean attached = row.getOffsetDateTime("attached_at") != null;
      if (!uploader && !(attached && row.getBoolean("member"))) {
        return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not a member of the attachment's room"));
      }
      Attachment attachment = descriptor(row);
      boolean thumbnail = access.kind() == AttachmentAccess.Kind.THUMBNAIL;
      if (thumbnail && !attachment.thumbnail()) {
        return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "this attachment has no thumbnail"));
      }
      String key = thumbnail ? thumbnailKey(attachment.id()) : attachment.id();
      String type = thumbnail ? "image/png" : attachment.contentType();
      String name = thumbnail ? "thumbnail.png" : attachment.name();
      return vertx.executeBlocking(() -> store.presignGet(key, type, name, DOWNLOAD_TTL), false)
          .map(redirect -> new AttachmentGrant(attachment, row.getString("tenant_id"), row.getString("uploader_id"),
              redirect, redirect == null ? store.file(key) : null, type, thumbnail ? -1 : attachment.size(),
              ContentTypes.disposition(type, name)));
    });
  }

  private Future<AttachmentGrant> upload(UUID id, String token) {
    return db.preparedQuery(FOR_UPLOAD).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0 || store.file(id.toString()) == null) {
        return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such upload"));
      }
      Row row = rows.iterator().next();
      var stored = row.getBuffer("upload_token");
      if (token == null || stored == null || !MessageDigest.isEqual(stored.getBytes(), sha256(token))) {
        return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not this upload's token"));
      }
      if (!row.getBoolean("open")) {
        return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "the upload's time is over: create another"));
      }
      Attachment attachment = descriptor(row);
      return Future.succeededFuture(new AttachmentGrant(attachment, row.getString("tenant_id"), row.getString("uploader_id"),
          null, store.file(attachment.id()), attachment.contentType(), attachment.size(), null));
    });
  }

  /**
   * The request with its attachments' descriptors: each an upload of its sender, in its room, whose
   * bytes are all there; {@code VALIDATION_ERROR} on the field {@code attachments} otherwise, and
   * nothing is stored. An attachment is completed once (its real size, an image's dimensions and
   * thumbnail), the first time a message attaches it.
   */
  public Future<PersistRequest> resolve(PersistRequest request) {
    if (request.attachments().isEmpty()) {
      return Future.succeededFuture(request);
    }
    if (request.attachments().size() > MAX_PER_MESSAGE) {
      return Future.failedFuture(bad("at most " + MAX_PER_MESSAGE + " attachments per message"));
    }
    List<UUID> ids = new ArrayList<>();
    Set<UUID> seen = new HashSet<>();
    for (Attachment ref : request.attachments()) {
      try {
        UUID id = UUID.fromString(ref.id());
        if (!seen.add(id)) {
          return Future.failedFuture(bad("an attachment is named twice"));
        }
        ids.add(id);
      } catch (IllegalArgumentException | NullPointerException e) {
        return Future.failedFuture(bad("not an attachment id: " + ref.id()));
      }
    }
    return db.preparedQuery(FOR_SEND).execute(Tuple.of(ids.toArray(UUID[]::new))).compose(rows -> {
      Map<UUID, Row> byId = new HashMap<>();
      rows.forEach(row -> byId.put(row.getUUID("id"), row));
      List<Future<Attachment>> resolved = new ArrayList<>();
      for (UUID id : ids) {
        Row row = byId.get(id);
        if (row == null || !row.getString("tenant_id").equals(request.sender().tenant())
            || !row.getString("uploader_id").equals(request.sender().userId())
            || !row.getString("room_id").equals(request.roomId())) {
          return Future.failedFuture(bad("no upload of yours in this room: " + id));
        }
        resolved.add(row.getOffsetDateTime("attached_at") != null ? Future.succeededFuture(descriptor(row)) : complete(row));
      }
      return Future.all(resolved).map(all -> request.withAttachments(all.<Attachment>list()));
    });
  }

  /** Checks an upload's bytes and reads an image, on a worker thread; then records it as attached. */
  private Future<Attachment> complete(Row row) {
    Attachment declared = descriptor(row);
    return vertx.executeBlocking(() -> {
      AttachmentStore.Stat stat = store.stat(declared.id());
      if (stat == null) {
        throw bad("not uploaded yet: " + declared.id());
      }
      if (stat.size() != declared.size()) {
        throw bad("the upload has " + stat.size() + " bytes, not the " + declared.size() + " declared: " + declared.id());
      }
      Images.Read image = null;
      if (Images.readable(declared.contentType()) && stat.size() <= MAX_IMAGE_BYTES) {
        try (InputStream in = store.open(declared.id())) {
          image = Images.read(in);
        } catch (java.io.IOException | RuntimeException unreadable) {
          LOG.atInfo().setMessage("attachment.image.unreadable").addKeyValue("attachmentId", declared.id())
              .addKeyValue("reason", unreadable.toString()).log();
        }
        if (image != null && image.thumbnail() != null) {
          store.put(thumbnailKey(declared.id()), image.thumbnail(), "image/png");
        }
      }
      return image == null ? new Attachment(declared.id(), declared.name(), declared.contentType(), stat.size(), null, null, false)
          : new Attachment(declared.id(), declared.name(), declared.contentType(), stat.size(), image.width(), image.height(),
              image.thumbnail() != null);
    }, false).compose(done -> db.preparedQuery(ATTACHED)
        .execute(Tuple.of(UUID.fromString(done.id()), done.size(), done.width(), done.height(), done.thumbnail()))
        // No row: the orphan-uploads job removed it meanwhile (OrphanUploadsJob), its bytes with it.
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(done)
            : Future.failedFuture(bad("no upload of yours in this room: " + done.id()))));
  }

  static String thumbnailKey(String id) {
    return id + ".thumbnail.png";
  }

  private static Attachment descriptor(Row row) {
    return new Attachment(row.getUUID("id").toString(), row.getString("name"), row.getString("content_type"),
        row.getLong("size"), row.getInteger("width"), row.getInteger("height"), row.getBoolean("thumbnail"));
  }

  private static ServiceException bad(String problem) {
    return new ServiceException(ErrorCode.VALIDATION_ERROR, "invalid request", new JsonObject().put("details",
        new JsonArray().add(new JsonObject().put("field", "attachments").put("message", problem))));
  }

  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
