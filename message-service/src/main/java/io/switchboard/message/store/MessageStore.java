package io.switchboard.message.store;

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
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomPage;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.ThreadSummary;
import io.vertx.core.Future;

/**
 * Rooms and messages in durable storage.
 *
 * <p>Guarantees: a message whose {@link #persist} future succeeded is committed. Within a room,
 * {@code seq} is gapless and strictly increasing, whatever number of stores write to the room at
 * once. The same {@code (roomId, clientMsgId)} is stored at most once; persisting it again returns
 * the stored message with {@code duplicate = true}. Rooms of another tenant are {@code NOT_FOUND},
 * never {@code FORBIDDEN}: their existence is not revealed. Failures are
 * {@link io.switchboard.common.ServiceException}s with the contract's codes.
 */
public interface MessageStore {

  /**
   * Creates a room of the creator's tenant with the creator (as owner) and the given members, in one
   * statement. A direct room between the same two users is created once: asking again answers the
   * existing room with {@link CreatedRoom#created()} false (two concurrent requests: exactly one of
   * them creates it).
   */
  Future<CreatedRoom> createRoom(CreateRoomRequest request);

  /**
   * Checks that the user may join (member, or any user of the tenant for a public room, who then
   * becomes a member: {@code MEMBER_LIMIT} when it has ROOM_MEMBERS_MAX members, at most a few more
   * when many join at once) and returns what was missed since {@code sinceSeq}.
   */
  Future<JoinResult> join(JoinRequest request);

  /**
   * The rooms the user is a member of (with unread counts), then the public rooms of the user's
   * tenant they are not in; at most {@code limit} in all, each group by name. Never a room of another
   * tenant, nor a group or direct room the user is not in.
   */
  Future<RoomList> rooms(RoomListRequest request);

  /**
   * A page of the public rooms of the user's tenant whose name contains the query (case-insensitive),
   * by name then id, with member counts; never another tenant's room nor a group or direct room.
   */
  Future<RoomPage> searchRooms(RoomSearchRequest request);

  /**
   * Stores one message with the room's next seq (idempotent on the client message id). Posted by
   * {@code source}: the system ({@link Envelope.Source#SYSTEM}) into any room of the sender's tenant
   * (any tenant when the sender names none); anyone else only into a room of their tenant that they
   * are a member of, {@code FORBIDDEN} otherwise. Whoever sent the request on the event bus. A
   * {@code replyTo} must name a message of the room that is not deleted ({@code VALIDATION_ERROR}).
   */
  Future<Stored> persist(PersistRequest request, Envelope.Source source);

  /** Replaces a message's body; {@code FORBIDDEN} unless the user, a member of the room, sent it or is its owner or an admin. */
  Future<MessageChange> edit(MessageEdit request);

  /** Marks a message deleted and erases its body; same rights as {@link #edit}. */
  Future<MessageChange> delete(MessageDelete request);

  /**
   * A message and a page of its thread (the messages that reply to it), for those who may read its
   * history; {@code NOT_FOUND} when the room has no such message.
   */
  Future<ThreadPage> thread(ThreadRequest request);

  /** The thread of a message as it is now (null without replies), for its announcement. */
  Future<ThreadSummary> threadOf(String roomId, String messageId);

  /** A page of history for a member (or any user of the tenant for a public room). */
  Future<HistoryPage> history(HistoryRequest request);

  /** Moves the member's read position forward (never back) and returns the unread count. */
  Future<ReadState> markRead(MarkRead request);
}
