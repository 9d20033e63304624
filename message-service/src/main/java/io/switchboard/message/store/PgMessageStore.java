package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.Envelope;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.RoomPage;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomSummary;
import io.switchboard.common.chat.Sender;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.ThreadSummary;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} on Postgres through the non-blocking vertx-pg-client. Transactions take a
 * connection of {@code pool} each; single statements (history, read state, room lists) go to
 * {@code statements}, which pipelines them over a few connections, so that a storm of requests
 * queues in Postgres' socket rather than for a connection of the pool. Joins and room creations
 * leave there in batches ({@link StatementBatch}): a storm of them commits a batch at a time.
 */
public final class PgMessageStore implements MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgMessageStore.class);

  private final Pool pool;
  private final SqlClient statements;
  private final MessageWriter writer;
  private final Reads reads;
  private final StatementBatch joins;
  private final StatementBatch creations;

  private final int maxMembers;

  /** The most joins, or room creations, of one batch (one round trip, one commit). */
  static final int BATCH_MAX = 256;

  public PgMessageStore(Pool pool, SqlClient statements, MessageWriter writer) {
    this(pool, statements, writer, Integer.MAX_VALUE);
  }

  /** {@code maxMembers}: the most members a public room takes by joins (ROOM_MEMBERS_MAX). */
  public PgMessageStore(Pool pool, SqlClient statements, MessageWriter writer, int maxMembers) {
    this(pool, statements, writer, maxMembers, Reads.primaryOnly(statements, pool));
  }

  /** {@code reads}: where history, threads and the public rooms' search are read (a replica, PG_READ_URL). */
  public PgMessageStore(Pool pool, SqlClient statements, MessageWriter writer, int maxMembers, Reads reads) {
    this.reads = reads;
    this.pool = pool;
    this.statements = statements;
    this.writer = writer;
    this.maxMembers = maxMembers;
    // Ordered by room, then user: the members a batch adds are locked in one order by every batch.
    this.joins = new StatementBatch(statements, Sql.JOIN_ROOM, BATCH_MAX,
        Comparator.comparing((Tuple t) -> t.getString(0)).thenComparing(t -> t.getString(1)));
    // Ordered by tenant, then direct key: the rows two creations can meet on (a new tenant's, a pair's direct room).
    this.creations = new StatementBatch(statements, Sql.CREATE_ROOM, BATCH_MAX,
        Comparator.comparing((Tuple t) -> t.getString(1))
            .thenComparing(t -> t.getString(6), Comparator.nullsFirst(Comparator.naturalOrder())));
  }

  @Override
  public Future<Stored> persist(PersistRequest request, Envelope.Source source) {
    return replyTarget(request).compose(v -> writer.write(request, source)).recover(failure ->
        ServiceException.codeOf(failure) == ErrorCode.NOT_FOUND ? archivedOr(request, failure) : Future.failedFuture(failure));
  }

  /**
   * A reply must reply to a message of its room, not deleted (docs/protocol.md, "Threads"): one
   * lookup, for replies only. The batched write then checks the sender's rights as for any message.
   */
  private Future<Void> replyTarget(PersistRequest request) {
    if (request.replyTo() == null) {
      return Future.succeededFuture();
    }
    return statements.preparedQuery(Sql.REPLY_TARGET).execute(Tuple.of(request.roomId(), UUID.fromString(request.replyTo())))
        .compose(rows -> {
          if (rows.size() == 0 || rows.iterator().next().getBoolean("deleted")) {
            return Future.failedFuture(Moderation.badReply(rows.size() == 0 ? "no message of this room" : "the message is deleted"));
          }
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<ThreadPage> thread(ThreadRequest request) {
    Sender user = request.user();
    UUID root = UUID.fromString(request.messageId());
    int limit = request.limit();
    // Access on the primary; the thread from the replica once it has the room up to the primary's last seq.
    return access(user, request.roomId(), true).compose(room -> reads.room(request.roomId(), room.getLong("last_seq"),
        db -> db.preparedQuery(Sql.MESSAGE_FOR_READER)
        .execute(Tuple.of(request.roomId(), root, user.tenant(), user.userId())).compose(roots -> {
          if (roots.size() == 0) {
            return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such message"));
          }
          ChatMessage rootMessage = Rows.messagesForReader(roots).get(0);
          Future<List<ChatMessage>> page;
          if (request.afterSeq() != null) {
            long before = request.beforeSeq() != null ? request.beforeSeq() : Long.MAX_VALUE;
            page = db.preparedQuery(Sql.THREAD_BETWEEN)
                .execute(Tuple.of(request.roomId(), root, request.afterSeq(), before, limit + 1, user.tenant(), user.userId()))
                .map(Rows::messagesForReader);
          } else {
            long before = request.beforeSeq() != null ? request.beforeSeq() : Long.MAX_VALUE;
            page = db.preparedQuery(Sql.THREAD_BEFORE)
                .execute(Tuple.of(request.roomId(), root, before, limit + 1, user.tenant(), user.userId()))
                .map(rows -> {
                  List<ChatMessage> list = new ArrayList<>(Rows.messagesForReader(rows));
                  java.util.Collections.reverse(list);
                  return list;
                });
          }
          return page.map(list -> {
            HistoryPage paged = page(list, limit, request.afterSeq() != null);
            return new ThreadPage(rootMessage, paged.messages(), paged.hasMore());
          });
        })))
        .recover(failure -> failed("thread", failure));
  }

  @Override
  public Future<ThreadSummary> threadOf(String roomId, String messageId) {
    return statements.preparedQuery(Sql.THREAD_OF).execute(Tuple.of(roomId, UUID.fromString(messageId)))
        .map(rows -> rows.size() == 0 ? null : Rows.thread(rows.iterator().next()));
  }

  /**
   * A room not found by the batched write may be one that is archived (the write takes it for
   * missing): then the sender learns so, on this rare path only.
   */
  private Future<Stored> archivedOr(PersistRequest request, Throwable notFound) {
    return statements.preparedQuery(Sql.ROOM_ARCHIVED).execute(Tuple.of(request.roomId(), request.sender().tenant()))
        .transform(ar -> ar.succeeded() && ar.result().size() > 0
            ? Future.failedFuture(ServiceException.of(ErrorCode.ROOM_ARCHIVED, "the room is archived: read-only"))
            : Future.failedFuture(notFound));
  }

  @Override
  public Future<CreatedRoom> createRoom(CreateRoomRequest request) {
    Sender creator = request.creator();
    LinkedHashSet<String> members = new LinkedHashSet<>();
    members.add(creator.userId());
    members.addAll(request.members());
    List<String> memberList = List.copyOf(members);
    String directKey = RoomKind.DIRECT.wire().equals(request.kind()) ? directKey(memberList) : null;
    String roomId = UUID.randomUUID().toString();
    // No direct room between two users when either blocks the other (docs/protocol.md, "Blocks").
    Future<Void> unblocked = directKey == null || memberList.size() < 2 ? Future.succeededFuture()
        : statements.preparedQuery(Sql.BLOCK_BETWEEN).execute(Tuple.of(creator.tenant(), memberList.get(0), memberList.get(1)))
            .compose(rows -> rows.size() > 0
                ? Future.failedFuture(ServiceException.of(ErrorCode.BLOCKED, "a block stands between you and that user"))
                : Future.<Void>succeededFuture());
    return unblocked.compose(v -> creations
        .execute(Tuple.of(roomId, creator.tenant(), request.name(), request.kind(), request.delivery(), creator.userId(),
            directKey).addArrayOfString(memberList.toArray(String[]::new)))
        .compose(rows -> rows.size() == 0
            ? existingDirect(statements, creator.tenant(), directKey).map(room -> new CreatedRoom(room, false))
            : Future.succeededFuture(new CreatedRoom(new Room(roomId, request.name(), request.kind(), creator.tenant(),
                memberList, creator.userId(), Rows.iso(rows.iterator().next().getOffsetDateTime("created_at"))), true))))
        .recover(failure -> failed("create room", failure));
  }

  /** The two user ids, sorted, as a JSON array: unambiguous whatever characters ids contain. */
  private static String directKey(List<String> members) {
    return new io.vertx.core.json.JsonArray(members.stream().sorted().toList()).encode();
  }

  private static Future<Room> existingDirect(SqlClient conn, String tenant, String directKey) {
    return conn.preparedQuery(Sql.DIRECT_ROOM).execute(Tuple.of(tenant, directKey)).map(rows -> {
      Row r = rows.iterator().next();
      return new Room(r.getString("id"), r.getString("name"), r.getString("kind"), tenant,
          Arrays.asList(r.getArrayOfStrings("members")), r.getString("created_by"), Rows.iso(r.getOffsetDateTime("created_at")));
    });
  }

  @Override
  public Future<JoinResult> join(JoinRequest request) {
    Sender user = request.user();
    return joins.execute(Tuple.of(request.roomId(), user.userId(), user.tenant(), maxMembers))
        .compose(rows -> allowed(rows, true)).compose(room -> {
          if (!room.getBoolean("member") && room.getLong("added") == 0) {
            if (room.getLong("members") >= maxMembers) {
              return Future.failedFuture(ServiceException.of(ErrorCode.MEMBER_LIMIT,
                  "the room has its " + maxMembers + " members already"));
            }
            // Not added to a public room with room left: banned, or joined at this moment from another device.
            return statements.preparedQuery(Sql.BANNED)
                .execute(Tuple.of(request.roomId()).addArrayOfString(new String[] {user.userId()}))
                .compose(bans -> bans.size() > 0
                    ? Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "banned from this room"))
                    : joined(request, room));
          }
          return joined(request, room);
        }).recover(failure -> failed("join", failure));
  }

  private Future<JoinResult> joined(JoinRequest request, Row room) {
    long lastSeq = room.getLong("last_seq");
    long expired = room.getLong("expired_seq");
    // Messages retention deleted are not unread: they cannot be read.
    long unread = Math.max(0, lastSeq - Math.max(room.getLong("last_read_seq"), expired));
    int members = room.getLong("members").intValue() + room.getLong("added").intValue();
    return missed(request, lastSeq).map(missed -> {
      boolean truncated = missed.size() > request.maxMissed();
      List<ChatMessage> page = truncated ? missed.subList(0, request.maxMissed()) : missed;
      return new JoinResult(request.roomId(), lastSeq, unread, members, room.getString("delivery"),
          List.copyOf(page), truncated, Rows.iso(room.getOffsetDateTime("muted_until")), room.getInteger("slow_mode_seconds"),
          Arrays.asList(room.getArrayOfStrings("blocked")), expired, room.getLong("unread_mentions"));
    });
  }

  @Override
  public Future<RoomList> rooms(RoomListRequest request) {
    Sender user = request.user();
    return statements.preparedQuery(Sql.ROOMS_FOR_USER).execute(Tuple.of(user.tenant(), user.userId(), request.limit()))
        .map(rows -> {
          List<RoomSummary> rooms = new ArrayList<>();
          rows.forEach(r -> rooms.add(summary(r)));
          return new RoomList(List.copyOf(rooms));
        })
        .recover(failure -> failed("list rooms", failure));
  }

  @Override
  public Future<RoomPage> searchRooms(RoomSearchRequest request) {
    Sender user = request.user();
    String pattern = request.query() == null ? null : "%" + request.query().replace("\\", "\\\\")
        .replace("%", "\\%").replace("_", "\\_") + "%";
    Tuple params = Tuple.of(user.tenant(), user.userId(), pattern, request.afterName(), request.afterId(), request.limit() + 1);
    // The tenant's public rooms as the replica has them: a room made a moment ago may be missing.
    return reads.any(db -> db.preparedQuery(Sql.SEARCH_PUBLIC_ROOMS).execute(params))
        .map(rows -> {
          List<RoomSummary> rooms = new ArrayList<>();
          rows.forEach(r -> rooms.add(summary(r)));
          boolean more = rooms.size() > request.limit();
          return new RoomPage(more ? rooms.subList(0, request.limit()) : rooms, more);
        })
        .recover(failure -> failed("search rooms", failure));
  }

  private static RoomSummary summary(Row r) {
    boolean member = r.getBoolean("member");
    long lastSeq = r.getLong("last_seq");
    return new RoomSummary(r.getString("id"), r.getString("name"), r.getString("kind"), lastSeq,
        member ? Math.max(0, lastSeq - r.getLong("last_read_seq")) : 0, r.getLong("members").intValue(), member,
        r.getString("topic"), r.getOffsetDateTime("archived_at") != null, member ? r.getLong("unread_mentions") : 0);
  }

  /** The room row for a user who may read it (member, or public room of the tenant). */
  private Future<Row> access(Sender user, String roomId, boolean publicAllowed) {
    return statements.preparedQuery(Sql.ROOM_FOR_USER).execute(Tuple.of(roomId, user.userId(), user.tenant()))
        .compose(rows -> allowed(rows, publicAllowed));
  }

  /** The room row of {@link Sql#ROOM_FOR_USER} or {@link Sql#JOIN_ROOM}, if the user may read the room. */
  private static Future<Row> allowed(RowSet<Row> rows, boolean publicAllowed) {
    if (rows.size() == 0) {
      return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
    }
    Row room = rows.iterator().next();
    boolean open = publicAllowed && RoomKind.PUBLIC.wire().equals(room.getString("kind"));
    if (!room.getBoolean("member") && !open) {
      return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room"));
    }
    return Future.succeededFuture(room);
  }

  private Future<List<ChatMessage>> missed(JoinRequest request, long lastSeq) {
    Long since = request.sinceSeq();
    if (since == null || since >= lastSeq) {
      return Future.succeededFuture(List.of());
    }
    return statements.preparedQuery(Sql.MESSAGES_AFTER)
        .execute(Tuple.of(request.roomId(), since, request.maxMissed() + 1, request.user().tenant(), request.user().userId()))
        .map(Rows::messagesForReader);
  }

  @Override
  public Future<MessageChange> edit(MessageEdit request) {
    return change(request.user(), request.roomId(), request.messageId(), Sql.EDIT_MESSAGE, request.body());
  }

  @Override
  public Future<MessageChange> delete(MessageDelete request) {
    return change(request.user(), request.roomId(), request.messageId(), Sql.DELETE_MESSAGE, null);
  }

  private Future<MessageChange> change(Sender user, String roomId, String messageId, String statement, String body) {
    UUID id = UUID.fromString(messageId);
    return pool.withTransaction(conn -> conn.preparedQuery(Sql.MESSAGE_FOR_EDIT)
            .execute(Tuple.of(roomId, id, user.userId(), user.tenant()))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such message"));
              }
              Row row = rows.iterator().next();
              ChatMessage before = Rows.message(row);
              if (!Boolean.TRUE.equals(row.getBoolean("allowed"))) {
                return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN,
                    "only the sender or a room owner or admin may change this message"));
              }
              if (Boolean.TRUE.equals(row.getBoolean("archived"))) {
                return Future.failedFuture(ServiceException.of(ErrorCode.ROOM_ARCHIVED, "the room is archived: read-only"));
              }
              java.time.OffsetDateTime muted = row.getOffsetDateTime("editor_muted_until");
              if (body != null && muted != null) {
                // A muted member edits nothing (an edit would say what a send may not); deleting stays.
                return Future.failedFuture(Moderation.muted(muted.toInstant()));
              }
              if (before.deleted()) {
                return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "message deleted"));
              }
              Tuple params = body == null ? Tuple.of(roomId, id) : Tuple.of(roomId, id, body);
              return conn.preparedQuery(statement).execute(params)
                  .map(updated -> new MessageChange(before, Rows.message(updated.iterator().next())));
            }))
        .recover(failure -> failed("change message", failure));
  }

  @Override
  public Future<HistoryPage> history(HistoryRequest request) {
    int limit = request.limit();
    // Access on the primary (membership and bans as they are now); the page from the replica once it
    // has the room up to the primary's last seq, so it holds every message acked before this request.
    return access(request.user(), request.roomId(), true).compose(room -> reads.room(request.roomId(), room.getLong("last_seq"), db -> {
      Future<List<ChatMessage>> page;
      if (request.afterSeq() != null) {
        long before = request.beforeSeq() != null ? request.beforeSeq() : Long.MAX_VALUE;
        page = db.preparedQuery(Sql.MESSAGES_BETWEEN)
            .execute(Tuple.of(request.roomId(), request.afterSeq(), before, limit + 1, request.user().tenant(),
                request.user().userId()))
            .map(Rows::messagesForReader);
      } else {
        long before = request.beforeSeq() != null ? request.beforeSeq() : room.getLong("last_seq") + 1;
        page = db.preparedQuery(Sql.MESSAGES_BEFORE)
            .execute(Tuple.of(request.roomId(), before, limit + 1, request.user().tenant(), request.user().userId()))
            .map(rows -> {
              List<ChatMessage> list = new ArrayList<>(Rows.messagesForReader(rows));
              java.util.Collections.reverse(list);
              return list;
            });
      }
      return page.map(list -> page(list, limit, request.afterSeq() != null));
    })).recover(failure -> failed("history", failure));
  }

  /** A page of at most {@code limit} of {@code list} (read with one more, ascending): forward pages drop the newest extra row, backward pages the oldest. */
  private static HistoryPage page(List<ChatMessage> list, int limit, boolean forward) {
    if (list.size() <= limit) {
      return new HistoryPage(List.copyOf(list), false);
    }
    return new HistoryPage(List.copyOf(forward ? list.subList(0, limit) : list.subList(1, list.size())), true);
  }

  @Override
  public Future<ReadState> markRead(MarkRead request) {
    Sender user = request.user();
    return access(user, request.roomId(), false)
        .compose(room -> statements.preparedQuery(Sql.MARK_READ).execute(Tuple.of(request.roomId(), user.userId(), request.seq())))
        .map(rows -> {
          Row row = rows.iterator().next();
          long read = row.getLong("last_read_seq");
          return new ReadState(request.roomId(), read, Math.max(0, row.getLong("last_seq") - read));
        })
        .recover(failure -> failed("mark read", failure));
  }

  private static <T> Future<T> failed(String what, Throwable failure) {
    if (failure instanceof ServiceException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("postgres: {} failed: {}", what, failure.toString());
    return Future.failedFuture(ServiceException.of(ErrorCode.UNAVAILABLE, "storage unavailable"));
  }
}
