/**
 * The Switchboard client contract (docs/protocol.md) as TypeScript types: the requests a client
 * sends with their acknowledgements, and the events the server pushes.
 */

export type RoomKind = "group" | "direct" | "public";
/** A member's role in a room: exactly one owner; admins add and remove members (docs/protocol.md, "Membership and roles"). */
export type RoomRole = "owner" | "admin" | "member";
export type Delivery = "optimistic" | "persist_first";

/** A durable message. `seq` is gapless and strictly increasing within its room. */
export interface ChatMessage {
  id: string;
  /** The id the sender chose (its optimistic copy's `tempId`). */
  clientMsgId: string;
  roomId: string;
  seq: number;
  senderId: string;
  senderName: string | null;
  body: string;
  replyTo: string | null;
  meta: Record<string, unknown> | null;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  /**
   * A placeholder for a message of a user you block: its place and `seq` kept, `body` empty, `meta`
   * and `replyTo` null (docs/protocol.md, "Blocks"). Absent on every other message.
   */
  hidden?: true;
  /** Its reactions, absent while it has none (and on deleted messages and placeholders). */
  reactions?: Reaction[];
  /** How many times its reactions changed: keep the reactions of the highest (docs/protocol.md, "Reactions"). */
  reactionsVersion?: number;
  /** Its thread (the messages that reply to it), absent while it has no replies (docs/protocol.md, "Threads"). */
  thread?: ThreadSummary;
  /** Its files, absent while it has none (and on deleted messages and placeholders). */
  attachments?: Attachment[];
  /** Whom it mentions, absent when nobody (docs/protocol.md, "Mentions"); see `mentionsUser`. */
  mentions?: Mentions;
}

/**
 * The members of its room a message mentions (`@userId`, by user id) and whether it says `@room`,
 * decided by the server when it stored the message (or its last edit). The sender is never one.
 */
export interface Mentions {
  users: string[];
  room?: true;
}

/** What reaches a user while offline: every message, mentions only, or nothing. */
export type NotificationLevel = "all" | "mentions" | "none";

/**
 * A notification policy as stored (`level` null: a room that follows the default; `mutedUntil`
 * while a mute lasts) and as it applies now (`effective`).
 */
export interface NotificationPolicy {
  roomId?: string;
  level: NotificationLevel | null;
  mutedUntil?: string;
  effective: { level: NotificationLevel; mutedUntil?: string };
}

/** A browser's push subscription as `PushSubscription.toJSON()` gives it (docs/protocol.md, "Web Push"). */
export interface PushSubscriptionData {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  expirationTime?: number | null;
}

/** What the server pushes to a browser (decrypted by it): shown by the service worker. */
export interface PushNotificationData {
  type: "mention" | "direct";
  roomId: string;
  messageId: string;
  seq: number;
  senderId: string;
  title: string;
  body: string;
}

/** One entry of `list-mentions`: a message that mentions you; `unread` when after your read position in its room. */
export interface MentionEntry {
  message: ChatMessage;
  unread: boolean;
}

/**
 * A file attached to a message (docs/protocol.md, "Attachments"): `width` and `height` for a PNG or
 * JPEG image whose pixels were read, `thumbnail` when a small PNG of it can be downloaded. Read its
 * bytes with `SwitchboardClient.downloadAttachment`.
 */
export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  width?: number;
  height?: number;
  thumbnail?: boolean;
}

/** Where to put an upload's bytes: `PUT` them to `url` (relative to the gateway for the local store) with `headers`. */
export interface UploadTarget {
  url: string;
  method: "PUT";
  headers: Record<string, string>;
  expiresAt: string;
}

export interface ThreadSummary {
  replies: number;
  lastReplySeq: number;
  lastReplyAt: string;
}

/** One kind of reaction on a message: `users` the first 10 who reacted with it, `me` (not in events) whether you did. */
export interface Reaction {
  emoji: string;
  count: number;
  users: string[];
  me?: boolean;
}

/**
 * An `add-reaction` / `remove-reaction` answer: the message's reactions now with their `version`;
 * `changed: false` when it was so already.
 */
export interface ReactionAck {
  changed: boolean;
  reactions: Reaction[];
  version: number;
}

/** What other members see at once in an optimistic room, before the message is durable. */
export interface OptimisticMessage {
  tempId: string;
  roomId: string;
  senderId: string;
  senderName: string | null;
  body: string;
  replyTo: string | null;
  meta: Record<string, unknown> | null;
  createdAt: string;
  optimistic: true;
  /** Its files by id only: `room-message-confirmed` brings their descriptors. */
  attachments?: { id: string }[];
}

/** A message created durable at once (persist-first room, or posted by a backend service). */
export type DurableCreated = ChatMessage & { tempId?: string | null; optimistic: false };

export interface Room {
  id: string;
  name: string;
  kind: RoomKind;
  tenant: string;
  members: string[];
  createdBy: string;
  createdAt: string;
}

/** One entry of `list-rooms`: a room the user is in, or a public room of the tenant. */
export interface RoomSummary {
  id: string;
  name: string;
  kind: RoomKind;
  lastSeq: number;
  unread: number;
  /** The unread messages that mention you (docs/protocol.md, "Mentions"); 0 for a room you are not in. */
  unreadMentions: number;
  members: number;
  member: boolean;
  topic: string | null;
  /** Read-only: sends, edits and deletes answer ROOM_ARCHIVED. */
  archived: boolean;
}

/** The data-event envelope kept from the system Switchboard replaced. */
export interface Envelope<N, O = Record<string, never>> {
  new: N;
  old: O;
  eventType: "INSERT" | "UPDATE" | "DELETE" | "REFRESH";
  table: "room_messages";
  schema: "public";
  timestamp: string;
  source: "gateway" | "api" | "system";
}

export type ErrorCode =
  | "VALIDATION_ERROR" | "RATE_LIMITED" | "FORBIDDEN" | "NOT_FOUND" | "UNKNOWN_EVENT" | "LAST_OWNER" | "MEMBER_LIMIT"
  | "SLOW_MODE" | "BLOCKED" | "REACTION_LIMIT" | "ROOM_ARCHIVED" | "BUSY" | "PERSIST_FAILED" | "UPLOAD_TOO_LARGE"
  | "UNSUPPORTED_TYPE"
  | "UNAVAILABLE" | "INTERNAL" | "AUTH_FAILED" | "TOKEN_EXPIRED" | "USER_CONNECTION_LIMIT"
  | "IP_CONNECTION_LIMIT" | "TENANT_CONNECTION_LIMIT" | "SERVER_AT_CAPACITY" | "SERVER_DRAINING"
  | "CONNECT_THROTTLED"
  // Raised by this library, never by the server:
  | "TIMEOUT" | "DISCONNECTED";

/** What a call carries (`screen`: a screen share); told to the callees, not enforced. */
export type CallMedia = "audio" | "video" | "screen";
/** An `RTCIceServer`, for `new RTCPeerConnection({ iceServers })`. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
export type CallSignalType = "offer" | "answer" | "ice";
/** Why a call ended (docs/protocol.md, "Calls"). */
export type CallEndReason = "hangup" | "declined" | "timeout" | "disconnected" | "failed";

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: { field: string; message: string }[];
  /** When the same request may succeed: `RATE_LIMITED`, `SLOW_MODE`, and `FORBIDDEN` for a member muted in the room. */
  retryAfterMs?: number;
  /** `FORBIDDEN` to a member muted in the room: until when (ISO-8601). */
  mutedUntil?: string;
  /** `SLOW_MODE`: the room's slow mode, seconds between two messages of a member. */
  slowMode?: number;
}

export interface JoinAck {
  roomId: string;
  lastSeq: number;
  unread: number;
  /** The unread messages that mention you (docs/protocol.md, "Mentions"). */
  unreadMentions: number;
  members: number;
  missed: ChatMessage[];
  truncated: boolean;
  /** Present when the user is muted in the room: sends and edits answer `FORBIDDEN` until then (ISO-8601). */
  mutedUntil?: string;
  /** Present when the room is in slow mode: a member sends one message per this many seconds (owners and admins are exempt). */
  slowMode?: number;
  /** Present when retention deleted the room's messages up to this seq: history starts after it. */
  expiredSeq?: number;
}

export interface Member {
  userId: string;
  role: RoomRole;
  /** In `list-members`: the end of the member's mute in the room (ISO-8601), while it lasts. */
  mutedUntil?: string;
}

/** A role change: `previous` is the role before. */
export interface RoleChange extends Member {
  previous: RoomRole;
}

/**
 * What the events of a room's changes (members, roles, name, topic, archive) have in common: each
 * takes the room's next `seq` and is stored as a message from `system` (`message`, also in history),
 * delivered in seq order with the messages.
 */
interface MemberEventBase {
  roomId: string;
  seq: number;
  actorId: string;
  message: ChatMessage;
}

export interface SendAck {
  id: string;
  seq: number;
  createdAt: string;
  duplicate?: boolean;
}

/** Every request: event name to [payload, successful ack without `ok`]. */
export interface Requests {
  "create-room": [{ name: string; kind: RoomKind; members?: string[]; delivery?: Delivery }, { room: Room }];
  "join-room": [{ roomId: string; sinceSeq?: number; receive?: "optimistic" | "durable" }, JoinAck];
  "leave-room": [{ roomId: string }, Record<string, never>];
  "send-message": [
    { roomId: string; clientMsgId: string; body: string; replyTo?: string; meta?: Record<string, unknown>; attachments?: string[] },
    SendAck,
  ];
  /** Checks size (`UPLOAD_TOO_LARGE`) and type (`UNSUPPORTED_TYPE`); put the bytes to `upload` before it expires. */
  "create-upload": [
    { roomId: string; name: string; contentType: string; size: number },
    { attachment: Attachment; upload: UploadTarget },
  ];
  "edit-message": [{ roomId: string; id: string; body: string }, { message: ChatMessage }];
  "delete-message": [{ roomId: string; id: string }, Record<string, never>];
  "search-messages": [
    { query: string; roomId?: string; after?: string; limit?: number },
    { results: { message: ChatMessage; rank: number }[]; next?: string },
  ];
  /** The messages that mention you, newest first; `next` is the `after` of the next page, when there is one. */
  "list-mentions": [{ roomId?: string; after?: string; limit?: number }, { mentions: MentionEntry[]; next?: string }];
  /** Your default notification policy, or a room's (docs/protocol.md, "Notifications"). */
  "get-notification-policy": [{ roomId?: string }, NotificationPolicy];
  /** Changes the fields given: `level: null` (a room) follows your default, `mutedUntil: null` unmutes. */
  "set-notification-policy": [
    { roomId?: string; level?: NotificationLevel | null; mutedUntil?: string | null },
    NotificationPolicy,
  ];
  /** The server's VAPID public key (base64url): the `applicationServerKey` to subscribe with (docs/protocol.md, "Web Push"). */
  "get-push-key": [Record<string, never>, { publicKey: string }];
  /** A browser's `PushSubscription.toJSON()`, yours from now on. */
  "register-push": [PushSubscriptionData, { publicKey: string }];
  "unregister-push": [{ endpoint: string }, { removed: boolean }];
  "add-reaction": [{ roomId: string; messageId: string; emoji: string }, ReactionAck];
  "remove-reaction": [{ roomId: string; messageId: string; emoji: string }, ReactionAck];
  "fetch-history": [
    { roomId: string; beforeSeq?: number; afterSeq?: number; limit?: number },
    { messages: ChatMessage[]; hasMore: boolean },
  ];
  "fetch-thread": [
    { roomId: string; messageId: string; beforeSeq?: number; afterSeq?: number; limit?: number },
    { root: ChatMessage; messages: ChatMessage[]; hasMore: boolean },
  ];
  "mark-read": [{ roomId: string; seq: number }, { unread: number; lastReadSeq?: number }];
  typing: [{ roomId: string; isTyping: boolean }, Record<string, never>];
  /** `online`: users with a connection in the room, away or not; `away`: those of them who are away. */
  "get-presence": [{ roomId: string }, { online: string[]; count: number; away?: string[] }];
  /** This socket's client is away (hidden, idle) or active again; the user is away when all their sockets are. */
  "set-status": [{ status: "away" | "online" }, Record<string, never>];
  "list-rooms": [{ limit?: number }, { rooms: RoomSummary[] }];
  /** Public rooms of the tenant by name; `next` is the `after` of the next page, when there is one. */
  "search-rooms": [{ query?: string; after?: string; limit?: number }, { rooms: RoomSummary[]; next?: string }];
  "list-members": [{ roomId: string }, { members: Member[] }];
  /** `added`: those who were not members yet; `seq` only when there were any. */
  "add-members": [{ roomId: string; userIds: string[] }, { added: string[]; seq?: number }];
  "remove-member": [{ roomId: string; userId: string }, { seq: number }];
  /** `role: "owner"` transfers the ownership (the caller becomes admin); no `seq` when nothing changed. */
  "set-member-role": [{ roomId: string; userId: string; role: RoomRole }, { changes: RoleChange[]; seq?: number }];
  /** Removes a member (or keeps a non-member out) until `unban-member`; no `seq` when banned already. */
  "ban-member": [{ roomId: string; userId: string }, { seq?: number }];
  "unban-member": [{ roomId: string; userId: string }, { seq?: number }];
  /** Owner or admin, rights as `ban-member`: the member sends and edits nothing until `mutedUntil`. */
  "mute-member": [{ roomId: string; userId: string; durationSeconds: number }, { seq: number; mutedUntil: string }];
  /** No `seq` when the member was not muted. */
  "unmute-member": [{ roomId: string; userId: string }, { seq?: number }];
  /** Owner or admin; the token is shown once. `maxUses` absent: any number. */
  "create-invite": [
    { roomId: string; expiresInSeconds?: number; maxUses?: number },
    { token: string; expiresAt: string; maxUses: number | null },
  ];
  "revoke-invite": [{ roomId: string; token: string }, Record<string, never>];
  /** Makes the user a member of the token's room; `join-room` it next. No `seq` when a member already. */
  "accept-invite": [{ token: string }, { roomId: string; seq?: number }];
  /** Leaves the room for good (`leave-room` only takes this socket out of it). */
  "quit-room": [{ roomId: string }, { seq: number }];
  /**
   * Owner or admin; at least one of `name`, `topic` (`""` clears it) and `slowMode` (seconds a member
   * waits between two messages, 0..21600; 0 turns it off). No `seq` when nothing changed.
   */
  "update-room": [{ roomId: string; name?: string; topic?: string; slowMode?: number; retentionDays?: number }, { seq?: number }];
  "archive-room": [{ roomId: string }, { seq?: number }];
  "unarchive-room": [{ roomId: string }, { seq?: number }];
  /** The owner only: the room goes with its messages. */
  "delete-room": [{ roomId: string }, { seq: number }];
  /** Hides that user's messages from you (placeholders), in every room, and no direct room between you, until unblocked. */
  "block-user": [{ userId: string }, Record<string, never>];
  "unblock-user": [{ userId: string }, Record<string, never>];
  /** Whom you block, by user id. */
  "list-blocks": [Record<string, never>, { blocks: { userId: string; blockedAt: string }[] }];
  /** Rings the room's other members (but those in a call: `busy`); the room must be joined. */
  "call-start": [
    { roomId: string; media: CallMedia[] },
    { callId: string; iceServers: IceServer[]; ringing: string[]; busy: string[] },
  ];
  /** This socket is in the call; `parties`: those in it before you, who send you their offers. */
  "call-accept": [
    { callId: string },
    { callId: string; roomId: string; media: CallMedia[]; parties: { userId: string; socketId: string }[]; iceServers: IceServer[] },
  ];
  "call-decline": [{ callId: string }, Record<string, never>];
  /** Relayed to `toSocketId`, which must be another socket of the call; `payload` at most 32 KiB of JSON. */
  "call-signal": [
    { callId: string; toSocketId: string; type: CallSignalType; payload: RTCSessionDescriptionInit | RTCIceCandidateInit },
    Record<string, never>,
  ];
  /** This socket leaves the call (declines it while it rings). */
  "call-hangup": [{ callId: string }, Record<string, never>];
  /** `expiresAt`: epoch seconds, null for a token without `exp`. */
  "refresh-token": [{ token: string }, { expiresAt: number | null }];
}

export type RequestName = keyof Requests;
export type Payload<E extends RequestName> = Requests[E][0];
export type AckOf<E extends RequestName> = Requests[E][1];

/** Every event the server pushes: event name to its payload. */
export interface ServerEvents {
  "room-message-created": Envelope<OptimisticMessage | DurableCreated>;
  "room-message-confirmed": {
    roomId: string; tempId: string; id: string; seq: number; createdAt: string; attachments?: Attachment[]; mentions?: Mentions;
  };
  "room-message-failed": { roomId: string; tempId: string; code: ErrorCode };
  "room-message-updated": Envelope<ChatMessage, ChatMessage>;
  "room-message-deleted": Envelope<Record<string, never>, ChatMessage>;
  "read-receipt": { roomId: string; userId: string; seq: number };
  /** `userId` added or removed a reaction; `reactions` the message's after it, `version` its count of changes. */
  "message-reaction": {
    roomId: string; messageId: string; userId: string; emoji: string; added: boolean; reactions: Reaction[]; version: number;
  };
  /** A reply (`replyId`) was stored in the thread of `messageId`: keep the `thread` with the highest `lastReplySeq`. */
  "thread-updated": { roomId: string; messageId: string; thread: ThreadSummary; replyId: string; replySenderId: string };
  /**
   * A room was created with you as a member (the room object of the `create-room` ack), to each of
   * your devices, the creating socket too: treat it idempotently. Not for a direct room that existed.
   */
  "room-created": { room: Room };
  /** `invitedBy`: who created the invitation the member accepted (then `actorId` is the member). */
  "room-member-added": MemberEventBase & { members: Member[]; invitedBy?: string };
  "room-member-removed": MemberEventBase & { userId: string; reason: "removed" | "left" };
  "room-member-role-changed": MemberEventBase & { changes: RoleChange[] };
  "room-member-banned": MemberEventBase & { userId: string; wasMember: boolean };
  "room-member-unbanned": MemberEventBase & { userId: string };
  /** To the room and the muted user's devices: `userId` sends nothing in the room until `mutedUntil`. */
  "room-member-muted": MemberEventBase & { userId: string; mutedUntil: string; durationSeconds: number };
  "room-member-unmuted": MemberEventBase & { userId: string };
  "room-updated": MemberEventBase & { name: string; topic: string | null; slowMode: number; retentionDays?: number };
  "room-archived": MemberEventBase;
  "room-unarchived": MemberEventBase;
  /** No message: the room's history went with it. */
  "room-deleted": { roomId: string; seq: number; actorId: string };
  "user-typing": { roomId: string; userId: string; isTyping: boolean };
  "user-status-changed": {
    userId: string;
    status: "online" | "away" | "offline";
    lastSeen?: string | number | null;
    /** With `away`: since when every connection of the user is away (ISO-8601). */
    awaySince?: string;
  };
  "sidebar-refresh-requested": unknown;
  /** Whom you block now, after a change made on any of your devices. */
  "user-blocks-changed": { blocked: string[] };
  "token-expired": { code: "TOKEN_EXPIRED"; message: string };
  /** An upload of this user through the gateway (the local store) is under way: bytes received of `total`. */
  "upload-progress": { attachmentId: string; received: number; total: number };
  /** A call rings this user's devices; answer with `call-accept` (its `fromSocketId` will send the offer). */
  "call-ring": {
    callId: string; roomId: string; from: string; fromName?: string; fromSocketId: string; media: CallMedia[]; iceServers: IceServer[];
  };
  /** That socket of `userId` answered; when `userId` is you and the socket another, it was answered elsewhere. */
  "call-accepted": { callId: string; roomId: string; userId: string; socketId: string };
  "call-declined": { callId: string; roomId: string; userId: string; reason: "declined" | "timeout" };
  /** An offer, answer or ICE candidate for this socket. */
  "call-signal": {
    callId: string; fromUserId: string; fromSocketId: string; type: CallSignalType;
    payload: RTCSessionDescriptionInit | RTCIceCandidateInit;
  };
  /** A party left a call of three or more that goes on. */
  "call-left": { callId: string; roomId: string; userId: string; reason: "hangup" | "disconnected" };
  "call-ended": { callId: string; roomId: string; reason: CallEndReason };
  "validation-error": { event: string; errors: { field: string; message: string }[] };
  "rate-limited": { event: string; retryAfterMs: number };
  error: { event: string; code: ErrorCode; message: string; retryAfterMs?: number; mutedUntil?: string; slowMode?: number };
}

export type ServerEventName = keyof ServerEvents;
