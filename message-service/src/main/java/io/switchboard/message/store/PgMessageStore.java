package io.switchboard.message.store;

import io.switchboard.common.ErrorCode;
import io.switchboard.common.ServiceException;
import io.switchboard.common.chat.ChatMessage;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomKind;
import io.switchboard.common.chat.Sender;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MessageStore} on Postgres through the non-blocking vertx-pg-client. */
public final class PgMessageStore implements MessageStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgMessageStore.class);
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public PgMessageStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Room> createRoom(CreateRoomRequest request) {
    Sender creator = request.creator();
    String roomId = UUID.randomUUID().toString();
    LinkedHashSet<String> members = new LinkedHashSet<>();
    members.add(creator.userId());
    members.addAll(request.members());
    List<String> memberList = List.copyOf(members);
    return pool.withTransaction(conn -> conn.preparedQuery(Sql.ENSURE_TENANT).execute(Tuple.of(creator.tenant()))
            .compose(v -> conn.preparedQuery(Sql.INSERT_ROOM).execute(
                Tuple.of(roomId, creator.tenant(), request.name(), request.kind(), creator.userId())))
            .compose(rows -> conn.preparedQuery(Sql.INSERT_MEMBERS)
                .execute(Tuple.of(roomId, memberList.toArray(String[]::new), creator.userId()))
                .map(v -> new Room(roomId, request.name(), request.kind(), creator.tenant(), memberList,
                    creator.userId(), Rows.iso(rows.iterator().next().getOffsetDateTime("created_at"))))))
        .recover(failure -> Future.failedFuture(storageFailure("create room", failure, ErrorCode.UNAVAILABLE)));
  }

  @Override
  public Future<JoinResult> join(JoinRequest request) {
    Sender user = request.user();
    return pool.preparedQuery(Sql.ROOM_FOR_USER)
        .execute(Tuple.of(request.roomId(), user.userId(), user.tenant()))
        .recover(failure -> Future.failedFuture(storageFailure("join", failure, ErrorCode.UNAVAILABLE)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"));
          }
          Row room = rows.iterator().next();
          boolean member = room.getBoolean("member");
          boolean open = RoomKind.PUBLIC.wire().equals(room.getString("kind"));
          if (!member && !open) {
            return Future.failedFuture(ServiceException.of(ErrorCode.FORBIDDEN, "not a member of this room"));
          }
          Future<Integer> membership = member
              ? Future.succeededFuture(room.getLong("members").intValue())
              : pool.preparedQuery(Sql.ADD_MEMBER).execute(Tuple.of(request.roomId(), user.userId()))
                  .map(r -> room.getLong("members").intValue() + r.rowCount());
          long lastSeq = room.getLong("last_seq");
          long unread = Math.max(0, lastSeq - room.getLong("last_read_seq"));
          return membership.compose(members -> missed(request, lastSeq).map(missed -> {
            boolean truncated = missed.size() > request.maxMissed();
            List<ChatMessage> page = truncated ? missed.subList(0, request.maxMissed()) : missed;
            return new JoinResult(request.roomId(), lastSeq, unread, members, List.copyOf(page), truncated);
          }));
        });
  }

  private Future<List<ChatMessage>> missed(JoinRequest request, long lastSeq) {
    Long since = request.sinceSeq();
    if (since == null || since >= lastSeq) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(Sql.MESSAGES_AFTER)
        .execute(Tuple.of(request.roomId(), since, request.maxMissed() + 1))
        .map(PgMessageStore::messages)
        .recover(failure -> Future.failedFuture(storageFailure("recovery read", failure, ErrorCode.UNAVAILABLE)));
  }

  @Override
  public Future<PersistResult> persist(PersistRequest request) {
    Sender sender = request.sender();
    Tuple params = Tuple.of(request.roomId(), UUID.randomUUID(), request.clientMsgId(), sender.userId(),
        sender.name(), request.body())
        .addValue(request.replyTo() == null ? null : UUID.fromString(request.replyTo()))
        .addValue(request.meta());
    return pool.preparedQuery(Sql.INSERT_MESSAGE).execute(params)
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ServiceException.of(ErrorCode.NOT_FOUND, "no such room"))
            : Future.succeededFuture(new PersistResult(Rows.message(rows.iterator().next()), false)))
        .recover(failure -> isDuplicate(failure)
            ? original(request)
            : Future.failedFuture(storageFailure("persist " + request.correlationId(), failure, ErrorCode.PERSIST_FAILED)));
  }

  private Future<PersistResult> original(PersistRequest request) {
    return pool.preparedQuery(Sql.MESSAGE_BY_CLIENT_ID).execute(Tuple.of(request.roomId(), request.clientMsgId()))
        .map(rows -> new PersistResult(Rows.message(rows.iterator().next()), true));
  }

  private static boolean isDuplicate(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static List<ChatMessage> messages(RowSet<Row> rows) {
    List<ChatMessage> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(Rows.message(row)));
    return list;
  }

  private static Throwable storageFailure(String what, Throwable failure, ErrorCode code) {
    if (failure instanceof ServiceException) {
      return failure;
    }
    LOG.warn("postgres: {} failed: {}", what, failure.toString());
    return ServiceException.of(code, "storage unavailable");
  }
}
