package io.switchboard.gateway.chat;

import io.switchboard.common.Addresses;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.InviteResult;
import io.switchboard.common.chat.MarkRead;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.MessageChange;
import io.switchboard.common.chat.MessageDelete;
import io.switchboard.common.chat.MessageEdit;
import io.switchboard.common.chat.MentionListRequest;
import io.switchboard.common.chat.MentionPage;
import io.switchboard.common.chat.NotificationPolicyRequest;
import io.switchboard.common.chat.NotificationPolicyState;
import io.switchboard.common.chat.PushSubscriptionRequest;
import io.switchboard.common.chat.PushSubscriptionState;
import io.switchboard.common.chat.MessageSearchPage;
import io.switchboard.common.chat.MessageSearchRequest;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.ReactionResult;
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomPage;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * The gateway's view of message-service: typed requests over the event bus,
 * each bounded by the request timeout. A timeout or a missing service fails with {@code UNAVAILABLE}
 * (see {@link io.switchboard.common.ServiceException#codeOf}).
 */
final class ChatServices {
  private final EventBus bus;
  private final DeliveryOptions options;

  ChatServices(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  Future<PersistResult> persist(PersistRequest request) {
    return bus.<PersistResult>request(Addresses.MESSAGE_PERSIST, request, options).map(Message::body);
  }

  Future<io.switchboard.common.chat.UploadTicket> createUpload(io.switchboard.common.chat.UploadRequest request) {
    return bus.<io.switchboard.common.chat.UploadTicket>request(Addresses.ATTACHMENT_CREATE, request, options).map(Message::body);
  }

  Future<JoinResult> join(JoinRequest request) {
    return bus.<JoinResult>request(Addresses.ROOM_JOIN, request, options).map(Message::body);
  }

  Future<MessageChange> edit(MessageEdit request) {
    return bus.<MessageChange>request(Addresses.MESSAGE_EDIT, request, options).map(Message::body);
  }

  Future<MessageChange> delete(MessageDelete request) {
    return bus.<MessageChange>request(Addresses.MESSAGE_DELETE, request, options).map(Message::body);
  }

  Future<ReactionResult> react(ReactionChange request) {
    return bus.<ReactionResult>request(Addresses.MESSAGE_REACT, request, options).map(Message::body);
  }

  Future<MessageSearchPage> searchMessages(MessageSearchRequest request) {
    return bus.<MessageSearchPage>request(Addresses.MESSAGE_SEARCH, request, options).map(Message::body);
  }

  Future<MentionPage> mentions(MentionListRequest request) {
    return bus.<MentionPage>request(Addresses.MENTION_LIST, request, options).map(Message::body);
  }

  Future<NotificationPolicyState> notificationPolicy(NotificationPolicyRequest request) {
    return bus.<NotificationPolicyState>request(Addresses.NOTIFICATION_POLICY, request, options).map(Message::body);
  }

  Future<PushSubscriptionState> push(PushSubscriptionRequest request) {
    return bus.<PushSubscriptionState>request(Addresses.PUSH_SUBSCRIPTION, request, options).map(Message::body);
  }

  Future<ThreadPage> thread(ThreadRequest request) {
    return bus.<ThreadPage>request(Addresses.MESSAGE_THREAD, request, options).map(Message::body);
  }

  Future<HistoryPage> history(HistoryRequest request) {
    return bus.<HistoryPage>request(Addresses.MESSAGE_HISTORY, request, options).map(Message::body);
  }

  Future<ReadState> markRead(MarkRead request) {
    return bus.<ReadState>request(Addresses.ROOM_MARK_READ, request, options).map(Message::body);
  }

  Future<Room> createRoom(CreateRoomRequest request) {
    return bus.<Room>request(Addresses.ROOM_CREATE, request, options).map(Message::body);
  }

  Future<RoomList> rooms(RoomListRequest request) {
    return bus.<RoomList>request(Addresses.ROOM_LIST, request, options).map(Message::body);
  }

  Future<MemberChangeResult> changeMembers(MemberChange change) {
    return bus.<MemberChangeResult>request(Addresses.ROOM_MEMBER_CHANGE, change, options).map(Message::body);
  }

  Future<InviteResult> invite(InviteChange change) {
    return bus.<InviteResult>request(Addresses.ROOM_INVITE, change, options).map(Message::body);
  }

  Future<RoomPage> searchRooms(RoomSearchRequest request) {
    return bus.<RoomPage>request(Addresses.ROOM_SEARCH, request, options).map(Message::body);
  }

  Future<MemberList> members(MemberListRequest request) {
    return bus.<MemberList>request(Addresses.ROOM_MEMBER_LIST, request, options).map(Message::body);
  }

  Future<BlockList> block(BlockChange change) {
    return bus.<BlockList>request(Addresses.USER_BLOCK, change, options).map(Message::body);
  }

  Future<RoomChangeResult> changeRoom(RoomChange change) {
    return bus.<RoomChangeResult>request(Addresses.ROOM_CHANGE, change, options).map(Message::body);
  }
}
