package io.switchboard.common;

/**
 * Every event-bus address Switchboard uses, in one place.
 *
 * <p>Names are dotted, lower case, domain first, and say which way the message goes. Addresses
 * marked <em>public</em> are part of the contract with other backend services (PROTOCOL.md
 * section 6) and carry plain JSON; the others are internal and carry the records of
 * {@link io.switchboard.common.bus}.
 */
public final class Addresses {
  private Addresses() {}

  /** Public. Push an event to connected clients: {@code {target, event, data}}; publish or send. */
  public static final String CHAT_PUBLISH = "chat.publish";

  /**
   * Public. Other services to message-service, request/reply JSON: a user's digest (their unread rooms and
   * mentions since a time); docs/protocol.md section 6, {@code POST /api/digest} over HTTP.
   */
  public static final String CHAT_DIGEST = "chat.digest";

  /** Public. Post a durable message into a room as a user or as the system; request/reply. */
  public static final String CHAT_MESSAGE_CREATE = "chat.message.create";

  /**
   * Public. Run a room as a user or as the system: list, add and remove members, set roles, quit,
   * rename, archive; request/reply.
   */
  public static final String CHAT_ROOM_MANAGE = "chat.room.manage";

  /**
   * Public. Manage a tenant's outbound webhooks: endpoints, secrets, dead letters, redelivery
   * (docs/operations.md, "Webhooks"); plain JSON, request/reply.
   */
  public static final String CHAT_WEBHOOKS_MANAGE = "chat.webhooks.manage";

  /** Gateway to message-service: make one message durable; replies with the stored id and seq. */
  public static final String MESSAGE_PERSIST = "chat.message.persist";

  /** Gateway to message-service: edit a message; replies with the message before and after. */
  public static final String MESSAGE_EDIT = "chat.message.edit";

  /** Gateway to message-service: delete a message; replies with the message before and after. */
  public static final String MESSAGE_DELETE = "chat.message.delete";

  /** Gateway to message-service: add or remove a reaction; replies with the message's reactions. */
  public static final String MESSAGE_REACT = "chat.message.react";

  /** Gateway to message-service: a page of the messages of a user's rooms that match a query. */
  public static final String MESSAGE_SEARCH = "chat.message.search";

  /** Gateway to message-service: a page of the messages that mention a user. */
  public static final String MENTION_LIST = "chat.mention.list";

  /** Gateway to message-service: read or change a user's notification policy. */
  public static final String NOTIFICATION_POLICY = "chat.notification.policy";

  /** Gateway to message-service: a user's Web Push subscriptions, and the VAPID public key. */
  public static final String PUSH_SUBSCRIPTION = "chat.push.subscription";

  /** Gateway to message-service: a message and a page of its thread's replies. */
  public static final String MESSAGE_THREAD = "chat.message.thread";

  /**
   * Gateway to message-service: start an upload ({@code UploadRequest}); replies with an
   * {@code UploadTicket}: the attachment and where to put its bytes.
   */
  public static final String ATTACHMENT_CREATE = "chat.attachment.create";

  /**
   * Gateway to message-service: may this caller put or read an attachment's bytes
   * ({@code AttachmentAccess}); replies with an {@code AttachmentGrant}: where the bytes are.
   */
  public static final String ATTACHMENT_ACCESS = "chat.attachment.access";

  /** Gateway to message-service: a page of a room's history. */
  public static final String MESSAGE_HISTORY = "chat.message.history";

  /** Gateway to message-service: move a user's read position in a room. */
  public static final String ROOM_MARK_READ = "chat.room.read";

  /** Gateway to message-service: create a room; replies with the room. */
  public static final String ROOM_CREATE = "chat.room.create";

  /** Gateway to message-service: the user's rooms and the tenant's public rooms; replies with a {@code RoomList}. */
  public static final String ROOM_LIST = "chat.room.list";

  /**
   * Gateway to message-service: add, remove, or change the role of members, or leave for good, as
   * a {@code MemberChange}; replies with a {@code MemberChangeResult}, announced to the room.
   */
  public static final String ROOM_MEMBER_CHANGE = "chat.room.member.change";

  /**
   * Gateway to message-service: rename a room, set its topic, archive or unarchive it, as a
   * {@code RoomChange}; replies with a {@code RoomChangeResult}, announced to the room.
   */
  public static final String ROOM_CHANGE = "chat.room.change";

  /** Gateway to message-service: create, revoke or accept an invitation ({@code InviteChange} → {@code InviteResult}). */
  public static final String ROOM_INVITE = "chat.room.invite";

  /** Gateway to message-service: a page of the tenant's public rooms by name; replies with a {@code RoomPage}. */
  public static final String ROOM_SEARCH = "chat.room.search";

  /**
   * Gateway to message-service: block or unblock a user, or list whom a user blocks, as a
   * {@code BlockChange}; replies with a {@code BlockList}, a change also told to the user's devices.
   */
  public static final String USER_BLOCK = "chat.user.block";

  /** Gateway to message-service: a room's members and their roles; replies with a {@code MemberList}. */
  public static final String ROOM_MEMBER_LIST = "chat.room.member.list";

  /**
   * Gateway to message-service: may this user join this room (tenant, membership or public), and
   * which messages did they miss since a seq; replies with a {@code JoinResult}.
   */
  public static final String ROOM_JOIN = "chat.room.join";

  /**
   * Any service to every gateway: deliver an event to the sockets of a room on that node. Published,
   * so each gateway node receives it once and serializes it once for all its local members.
   */
  public static final String GATEWAY_FANOUT = "gateway.fanout";

  /**
   * Gateway to gateway: a prefix. Each gateway node owns the calls its sockets started and takes every
   * request about them at {@code gateway.calls.<key>}, the key being the first part of the call's id;
   * request/reply JSON (the client request, who sent it, and {@code op}).
   */
  public static final String GATEWAY_CALLS = "gateway.calls";

  /**
   * Gateway to every gateway: an admin question (list connections, disconnect, room stats). Published
   * with a {@code replyTo} address to which each gateway sends its own answer.
   */
  public static final String GATEWAY_ADMIN = "gateway.admin.query";

  /**
   * Gateway to presence-service: a {@code PresenceBatch} of connections opened or closed and rooms
   * joined or left, or a sync of the node's whole state; request/reply (reply: whether the node was
   * known). One batch in flight per gateway node.
   */
  public static final String PRESENCE_UPDATE = "presence.connection.update";

  /**
   * presence-service to message-service: a user's status changed ({@code {tenant, userId, status, at}},
   * JSON), for the webhooks of the user's tenant; send, no reply.
   */
  public static final String WEBHOOKS_USER_STATUS = "webhooks.user.status";

  /** Gateway to presence-service: who is online in a room. */
  public static final String PRESENCE_QUERY = "presence.room.query";

  /** Gateway to presence-service: renew this node's lease; replies whether the node is known. */
  public static final String PRESENCE_HEARTBEAT = "presence.node.heartbeat";

  /** Gateway to presence-service, at CONNECT: may this user open one more connection (device limit)? */
  public static final String PRESENCE_ADMIT = "presence.connection.admit";
}
