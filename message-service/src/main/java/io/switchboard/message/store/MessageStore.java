package io.switchboard.message.store;

import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.vertx.core.Future;

/**
 * Rooms and messages in durable storage.
 *
 * <p>Guarantees: a message whose {@link #persist} future succeeded is committed. Within a room,
 * {@code seq} is gapless and strictly increasing, whatever number of stores write to the room at
 * once. The same {@code (roomId, clientMsgId)} is stored at most once; persisting it again returns
 * the stored message with {@code duplicate = true}. Failures are
 * {@link io.switchboard.common.ServiceException}s with the contract's codes.
 */
public interface MessageStore {

  /** Creates a room of the creator's tenant with the creator (as admin) and the given members. */
  Future<Room> createRoom(CreateRoomRequest request);

  /**
   * Checks that the user may join (same tenant; member, or any user for a public room, who then
   * becomes a member) and returns what was missed since {@code sinceSeq}. Rooms of other tenants
   * are {@code NOT_FOUND}, never {@code FORBIDDEN}: their existence is not revealed.
   */
  Future<JoinResult> join(JoinRequest request);

  /** Stores one message with the room's next seq (idempotent on the client message id). */
  Future<PersistResult> persist(PersistRequest request);
}
