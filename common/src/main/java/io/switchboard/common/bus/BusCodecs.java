package io.switchboard.common.bus;

import io.switchboard.common.chat.AttachmentAccess;
import io.switchboard.common.chat.AttachmentGrant;
import io.switchboard.common.chat.BlockChange;
import io.switchboard.common.chat.UploadRequest;
import io.switchboard.common.chat.UploadTicket;
import io.switchboard.common.chat.BlockList;
import io.switchboard.common.chat.CreateRoomRequest;
import io.switchboard.common.chat.HistoryPage;
import io.switchboard.common.chat.HistoryRequest;
import io.switchboard.common.chat.MarkRead;
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
import io.switchboard.common.chat.ReadState;
import io.switchboard.common.chat.ThreadPage;
import io.switchboard.common.chat.ThreadRequest;
import io.switchboard.common.chat.ReactionChange;
import io.switchboard.common.chat.ReactionResult;
import io.switchboard.common.chat.InviteChange;
import io.switchboard.common.chat.InviteResult;
import io.switchboard.common.chat.JoinRequest;
import io.switchboard.common.chat.JoinResult;
import io.switchboard.common.chat.PersistRequest;
import io.switchboard.common.chat.PersistResult;
import io.switchboard.common.chat.Room;
import io.switchboard.common.chat.MemberChange;
import io.switchboard.common.chat.MemberChangeResult;
import io.switchboard.common.chat.MemberList;
import io.switchboard.common.chat.MemberListRequest;
import io.switchboard.common.chat.RoomChange;
import io.switchboard.common.chat.RoomChangeResult;
import io.switchboard.common.chat.RoomList;
import io.switchboard.common.chat.RoomPage;
import io.switchboard.common.chat.RoomSearchRequest;
import io.switchboard.common.chat.RoomListRequest;
import io.switchboard.common.fanout.RoomEvent;
import io.switchboard.common.fanout.RoomEventCodec;
import io.switchboard.common.presence.AdmitRequest;
import io.switchboard.common.presence.NodeHeartbeat;
import io.switchboard.common.presence.PresenceBatch;
import io.switchboard.common.presence.PresenceQuery;
import io.switchboard.common.presence.RoomPresence;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/** Registers the codec of every record that crosses the event bus; once per Vert.x instance. */
public final class BusCodecs {
  static final List<Class<?>> RECORDS = List.of(
      PersistRequest.class, PersistResult.class,
      UploadRequest.class, UploadTicket.class, AttachmentAccess.class, AttachmentGrant.class,
      CreateRoomRequest.class, Room.class,
      JoinRequest.class, JoinResult.class,
      MessageEdit.class, MessageDelete.class, MessageChange.class, ReactionChange.class, ReactionResult.class,
      MessageSearchRequest.class, MessageSearchPage.class, MentionListRequest.class, MentionPage.class, NotificationPolicyRequest.class, NotificationPolicyState.class,
      PushSubscriptionRequest.class, PushSubscriptionState.class, ThreadRequest.class, ThreadPage.class,
      HistoryRequest.class, HistoryPage.class,
      MarkRead.class, ReadState.class,
      RoomListRequest.class, RoomList.class,
      MemberChange.class, MemberChangeResult.class, MemberListRequest.class, MemberList.class,
      RoomChange.class, RoomChangeResult.class, RoomSearchRequest.class, RoomPage.class,
      InviteChange.class, InviteResult.class, BlockChange.class, BlockList.class,
      PresenceBatch.class, PresenceQuery.class, RoomPresence.class, NodeHeartbeat.class, AdmitRequest.class);

  private BusCodecs() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void register(Vertx vertx) {
    for (Class<?> type : RECORDS) {
      register(vertx, (Class) type, new RecordCodec<>(type));
    }
    register(vertx, RoomEvent.class, new RoomEventCodec());
    register(vertx, ServiceFailure.class, new ServiceFailureCodec());
  }

  private static <T> void register(Vertx vertx, Class<T> type, MessageCodec<T, T> codec) {
    try {
      vertx.eventBus().registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // Several services deployed in one JVM share the event bus; the first one registers.
    }
  }
}
