import { io, type Socket } from "socket.io-client";
import { Emitter } from "./emitter.js";
import { SwitchboardError } from "./errors.js";
import { Outbox, type OutgoingMessage, type SendOptions } from "./outbox.js";
import { RoomTracker, type CatchUp } from "./rooms.js";
import { fetchToken, refreshDelayMs, tokenClaims, tokenExpiry, type TokenSource } from "./token.js";
import type {
  AckOf, Attachment, CallMedia, CallSignalType, ErrorBody, ErrorCode, JoinAck, Member, NotificationLevel, Payload, PushSubscriptionData, ReactionAck, RequestName, RoomRole, SendAck, ServerEventName,
  ServerEvents,
} from "./types.js";

/**
 * `connecting`: first connection under way. `connected`: ready for requests. `recovering`: connected
 * again after a drop, rejoining rooms and catching up. `reconnecting`: the connection dropped, it is
 * being re-established. `offline`: the browser reports no network; reconnects when it is back.
 * `disconnected`: closed by the server (drained, kicked, session expired) or by `close()`.
 */
export type ConnectionState = "connecting" | "connected" | "recovering" | "reconnecting" | "offline" | "disconnected";

export interface ClientOptions {
  /** Gateway origin; defaults to the page's origin. */
  url?: string;
  /** The JWT, or a function that returns a fresh one (called at start, before expiry, after TOKEN_EXPIRED). */
  token: TokenSource;
  /** How long a request waits for its acknowledgement. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long before `exp` the token is refreshed with `refresh-token`. Default 60 s. */
  refreshMarginMs?: number;
  /** Drop the connection at once when the browser goes offline and reconnect when it is back. Default true. */
  watchNetwork?: boolean;
  transports?: ("websocket" | "polling")[];
  /**
   * How other members' messages arrive: `optimistic` (default), the copy at once and its
   * confirmation when stored; `durable`, the stored message once, half the events (docs/protocol.md,
   * "Receiving").
   */
  receive?: "optimistic" | "durable";
}

export interface ClientEvents extends Record<string, unknown> {
  state: { state: ConnectionState; reason?: string };
  "catch-up": CatchUp;
  outgoing: OutgoingMessage;
  "token-refreshed": { expiresAt: number };
  error: SwitchboardError;
}

const REPEATABLE: ReadonlySet<RequestName> = new Set<RequestName>([
  "join-room", "leave-room", "fetch-history", "mark-read", "get-presence", "list-rooms", "list-members", "search-rooms",
  // A connection trickles ICE candidates in bursts; a signal delivered late is better than lost.
  "call-signal",
]);
const RATE_LIMITED_ATTEMPTS = 4;

export interface UploadOptions {
  /** The file's name; a File's own by default. */
  name?: string;
  /** Its content type; the Blob's `type` by default. */
  contentType?: string;
  /** Bytes received of the total, as the gateway tells (`upload-progress`), and at the end. */
  onProgress?: (p: { attachmentId: string; received: number; total: number }) => void;
  signal?: AbortSignal;
}

/** An HTTP refusal (`{ok: false, error}` from the gateway, or a bare status from an object store) as an error of the contract. */
async function httpError(res: Response): Promise<SwitchboardError> {
  try {
    const json = await res.json();
    if (json?.error?.code) return new SwitchboardError(json.error);
  } catch {
    // not JSON: an object store's XML, say
  }
  const code: ErrorCode = res.status === 413 ? "UPLOAD_TOO_LARGE" : res.status === 401 ? "AUTH_FAILED"
    : res.status === 403 ? "FORBIDDEN" : res.status === 404 ? "NOT_FOUND" : res.status >= 500 ? "UNAVAILABLE" : "VALIDATION_ERROR";
  return SwitchboardError.of(code, `HTTP ${res.status}`);
}

interface InFlight {
  reject: (e: SwitchboardError) => void;
}

/**
 * A Switchboard connection with typed requests and events, token refresh, rooms that are rejoined
 * and caught up after every reconnect (`join-room {sinceSeq}`), and messages sent optimistically and
 * retried with the same clientMsgId until they are durable or definitely refused.
 */
export class SwitchboardClient {
  readonly socket: Socket;
  readonly rooms: RoomTracker;
  private readonly events = new Emitter<ClientEvents>();
  private readonly outbox: Outbox;
  private readonly inFlight = new Set<InFlight>();
  private readonly timeoutMs: number;
  private readonly marginMs: number;
  private token = "";
  private current: ConnectionState = "connecting";
  private readyWaiters: (() => void)[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private everConnected = false;
  private closed = false;
  /** The last status this client set: a reconnected socket is active until told it is away. */
  private away = false;
  /** The server is ending the session because its token expired: only a new token helps. */
  private tokenExpired = false;
  private readonly unwatchNetwork: () => void = () => {};
  /** The gateway's origin: uploads to the local store and downloads go there over HTTP. */
  private readonly base: string;

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.marginMs = options.refreshMarginMs ?? 60_000;
    const url = options.url ?? globalThis.location?.origin;
    this.base = url ?? "";
    this.socket = io(url, {
      autoConnect: false,
      // recover: connection state recovery (docs/protocol.md section 5): after a short drop the server
      // replays what this socket missed, and the official client keeps the offsets it needs for that.
      auth: (cb) => cb(options.receive ? { token: this.token, recover: true, receive: options.receive } : { token: this.token, recover: true }),
      transports: options.transports ?? ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.rooms = new RoomTracker((e, p) => this.send(e, p), (c) => this.events.emit("catch-up", c), () => this.userId);
    this.outbox = new Outbox((p) => this.readyThen(() => this.send("send-message", p)), () => this.current === "connected", (m) => {
      if (m.ack) this.rooms.seen(m.roomId, m.ack.seq);
      this.events.emit("outgoing", m);
    });
    this.socket.on("connect", () => void this.onConnect());
    this.socket.on("disconnect", (reason) => this.onDisconnect(reason));
    this.socket.on("connect_error", (err) => void this.onConnectError(err as Error & { data?: { code?: ErrorCode } }));
    // Sent just before the server closes a session whose token expired without a refresh.
    this.socket.on("token-expired", () => (this.tokenExpired = true));
    this.rooms.listen(this.socket);
    if (options.watchNetwork !== false && typeof window !== "undefined") {
      // engine.io closes the transport itself when the browser goes offline, then keeps retrying
      // with backoff. Closing the socket instead stops the retries, and the 'online' event connects
      // again at once; the catch-up brings what was missed.
      const offline = () => {
        this.setState("offline", "network lost");
        this.socket.disconnect();
      };
      const online = () => {
        if (this.current !== "offline" || this.closed) return;
        this.setState("reconnecting", "network back");
        this.socket.connect();
      };
      window.addEventListener("offline", offline);
      window.addEventListener("online", online);
      this.unwatchNetwork = () => {
        window.removeEventListener("offline", offline);
        window.removeEventListener("online", online);
      };
    }
  }

  /** Opens the connection; resolves when connected, rejects with the refusal's code (AUTH_FAILED, ...). */
  async connect(): Promise<void> {
    this.token = await fetchToken(this.options.token);
    return new Promise((resolve, reject) => {
      const off = () => {
        this.socket.off("connect", ok);
        this.socket.off("connect_error", fail);
      };
      const ok = () => {
        off();
        resolve();
      };
      const fail = (err: Error & { data?: { code?: ErrorCode } }) => {
        off();
        this.socket.disconnect();
        reject(new SwitchboardError({ code: err.data?.code ?? "UNAVAILABLE", message: err.message }));
      };
      this.socket.on("connect", ok);
      this.socket.on("connect_error", fail);
      this.socket.connect();
    });
  }

  /** Connects again after the server closed the connection. */
  reconnect(): void {
    if (!this.socket.connected) this.socket.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    this.unwatchNetwork();
    this.socket.disconnect();
    this.setState("disconnected", "closed");
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The user id of the current token (its `sub` claim). */
  get userId(): string | null {
    const sub = tokenClaims(this.token)?.sub;
    return typeof sub === "string" ? sub : null;
  }

  /** A request with its acknowledgement; waits for the connection (within the timeout) first. */
  request<E extends RequestName>(event: E, payload: Payload<E>): Promise<AckOf<E>> {
    return this.readyThen(() => this.send(event, payload));
  }

  /** A server event; returns a function that removes the handler. */
  on<E extends ServerEventName>(event: E, handler: (payload: ServerEvents[E]) => void): () => void {
    const h = handler as (...args: unknown[]) => void;
    this.socket.on(event as string, h);
    return () => void this.socket.off(event as string, h);
  }

  /** A library event: state changes, catch-ups after reconnects, outgoing message updates. */
  onClient<E extends keyof ClientEvents>(event: E, handler: (payload: ClientEvents[E]) => void): () => void {
    return this.events.on(event, handler);
  }

  /** Joins a room and keeps it joined across reconnects; see {@link RoomTracker.join}. */
  joinRoom(roomId: string, sinceSeq?: number) {
    return this.readyThen(() => this.rooms.join(roomId, sinceSeq));
  }

  leaveRoom(roomId: string) {
    return this.readyThen(() => this.rooms.leave(roomId));
  }

  /** The room's members with their roles, owner first. */
  async listMembers(roomId: string): Promise<Member[]> {
    return (await this.request("list-members", { roomId })).members;
  }

  /** Adds users to a room (owner or admin); resolves with those who were not members yet. */
  async addMembers(roomId: string, userIds: string[]): Promise<AckOf<"add-members">> {
    return this.request("add-members", { roomId, userIds });
  }

  /** Removes a member (owner or admin); their sockets leave the room on every device. */
  async removeMember(roomId: string, userId: string): Promise<AckOf<"remove-member">> {
    return this.request("remove-member", { roomId, userId });
  }

  /** Bans a user (owner or admin): a member is removed on every device; no join nor add until `unbanMember`. */
  async banMember(roomId: string, userId: string): Promise<AckOf<"ban-member">> {
    return this.request("ban-member", { roomId, userId });
  }

  async unbanMember(roomId: string, userId: string): Promise<AckOf<"unban-member">> {
    return this.request("unban-member", { roomId, userId });
  }

  /**
   * Mutes a member for `durationSeconds` (owner or admin, rights as `banMember`): their sends and
   * edits answer `FORBIDDEN` with `mutedUntil` and `retryAfterMs` until then.
   */
  async muteMember(roomId: string, userId: string, durationSeconds: number): Promise<AckOf<"mute-member">> {
    return this.request("mute-member", { roomId, userId, durationSeconds });
  }

  async unmuteMember(roomId: string, userId: string): Promise<AckOf<"unmute-member">> {
    return this.request("unmute-member", { roomId, userId });
  }

  /**
   * Blocks a user, in every room: their messages reach this user as placeholders (`hidden: true`,
   * with their seq), and no direct room between the two can be created (`BLOCKED`). Every device of
   * this user hears `user-blocks-changed`.
   */
  async blockUser(userId: string): Promise<void> {
    await this.request("block-user", { userId });
  }

  async unblockUser(userId: string): Promise<void> {
    await this.request("unblock-user", { userId });
  }

  /**
   * Reacts to a message with an emoji (idempotent: `changed: false` when this user had that reaction).
   * The room's other sockets, this user's other devices too, hear `message-reaction`; fold it in with
   * `applyReaction`.
   */
  async addReaction(roomId: string, messageId: string, emoji: string): Promise<ReactionAck> {
    return this.request("add-reaction", { roomId, messageId, emoji });
  }

  async removeReaction(roomId: string, messageId: string, emoji: string): Promise<ReactionAck> {
    return this.request("remove-reaction", { roomId, messageId, emoji });
  }

  /**
   * A message and a page of its thread: the latest replies, or those before `beforeSeq` / after
   * `afterSeq` (a thread's unread replies: `afterSeq` = the room's read position). Reply in a thread
   * with `sendMessage(roomId, body, { replyTo })`.
   */
  async fetchThread(roomId: string, messageId: string, page: { beforeSeq?: number; afterSeq?: number; limit?: number } = {}): Promise<AckOf<"fetch-thread">> {
    return this.request("fetch-thread", { roomId, messageId, ...page });
  }

  /**
   * Searches the messages of this user's rooms (of one room with `roomId`), best first: words, "a
   * phrase", `or`, `-word` (docs/protocol.md, "Search"). Pass a page's `next` as `after` for the next.
   */
  async searchMessages(query: string, options: { roomId?: string; after?: string; limit?: number } = {}): Promise<AckOf<"search-messages">> {
    return this.request("search-messages", { query, ...options });
  }

  /**
   * The messages that mention this user (`@userId` or `@room`) in their rooms (of one room with
   * `roomId`), newest first (docs/protocol.md, "Mentions"). Pass a page's `next` as `after` for the next.
   */
  async listMentions(options: { roomId?: string; after?: string; limit?: number } = {}): Promise<AckOf<"list-mentions">> {
    return this.request("list-mentions", { ...options });
  }

  /** This user's default notification policy, or a room's (docs/protocol.md, "Notifications"). */
  async notificationPolicy(roomId?: string): Promise<AckOf<"get-notification-policy">> {
    return this.request("get-notification-policy", roomId ? { roomId } : {});
  }

  /**
   * Sets what reaches this user while offline, by default or in one room: `level` (null for a room:
   * as the default) and `mutedUntil` (an ISO-8601 time; null unmutes); a field left out is kept.
   */
  async setNotificationPolicy(
    policy: { roomId?: string; level?: NotificationLevel | null; mutedUntil?: string | null },
  ): Promise<AckOf<"set-notification-policy">> {
    return this.request("set-notification-policy", policy);
  }

  /** The server's VAPID public key (base64url); fails `UNAVAILABLE` when the server has push off. */
  async pushKey(): Promise<string> {
    return (await this.request("get-push-key", {})).publicKey;
  }

  /**
   * Registers a browser's push subscription (a `PushSubscription` or its `toJSON()`) for this user:
   * offline mentions and direct messages are pushed to it (docs/protocol.md, "Web Push"). See
   * `enablePush` for the whole path from a service worker.
   */
  async registerPush(subscription: PushSubscriptionData | { toJSON(): unknown }): Promise<AckOf<"register-push">> {
    const data = ("toJSON" in subscription ? subscription.toJSON() : subscription) as PushSubscriptionData;
    const { endpoint, keys } = data;
    return this.request("register-push", { endpoint, keys: { p256dh: keys?.p256dh, auth: keys?.auth } });
  }

  /** Removes this user's subscription with that endpoint; `removed` false when there was none. */
  async unregisterPush(endpoint: string): Promise<AckOf<"unregister-push">> {
    return this.request("unregister-push", { endpoint });
  }

  /**
   * Says whether the user is away from this client (page hidden, idle) or back (docs/protocol.md,
   * "Presence"). Kept across reconnects: a new connection starts active, so an away client says so again.
   */
  async setStatus(status: "away" | "online"): Promise<void> {
    this.away = status === "away";
    await this.request("set-status", { status });
  }

  /** Who is connected in a joined room, and which of them are away. */
  async getPresence(roomId: string): Promise<AckOf<"get-presence">> {
    return this.request("get-presence", { roomId });
  }

  /** This connection's socket id: what other parties of a call send their signals to. */
  get socketId(): string | undefined {
    return this.socket.id;
  }

  /**
   * Calls the other members of a joined room (docs/protocol.md, "Calls"): their devices get
   * `call-ring`. Media flows peer to peer: make an `RTCPeerConnection` with the ack's `iceServers`,
   * and on `call-accepted` send an offer to its `socketId` with `signalCall`.
   */
  async startCall(roomId: string, media: CallMedia[]): Promise<AckOf<"call-start">> {
    return this.request("call-start", { roomId, media });
  }

  /** Answers a `call-ring` on this device; the caller's socket (`parties`) sends the offer. */
  async acceptCall(callId: string): Promise<AckOf<"call-accept">> {
    return this.request("call-accept", { callId });
  }

  async declineCall(callId: string): Promise<void> {
    await this.request("call-decline", { callId });
  }

  /** An offer, answer or ICE candidate for another socket of the call. */
  async signalCall(callId: string, toSocketId: string, type: CallSignalType,
    payload: RTCSessionDescriptionInit | RTCIceCandidateInit): Promise<void> {
    await this.request("call-signal", { callId, toSocketId, type, payload });
  }

  /** Leaves the call; `NOT_FOUND` (the call is over already) is no failure. */
  async hangupCall(callId: string): Promise<void> {
    try {
      await this.request("call-hangup", { callId });
    } catch (e) {
      if (!(e instanceof SwitchboardError && e.code === "NOT_FOUND")) throw e;
    }
  }

  /** Whom this user blocks, by user id, with since when. */
  async listBlocks(): Promise<AckOf<"list-blocks">["blocks"]> {
    return (await this.request("list-blocks", {})).blocks;
  }

  /** Accepts an invitation and joins its room (kept joined across reconnects). */
  async acceptInvite(token: string): Promise<JoinAck> {
    const { roomId } = await this.request("accept-invite", { token });
    return this.joinRoom(roomId);
  }

  /** Gives a member a role (owner only); `"owner"` transfers the ownership, this user becoming admin. */
  async setMemberRole(roomId: string, userId: string, role: RoomRole): Promise<AckOf<"set-member-role">> {
    return this.request("set-member-role", { roomId, userId, role });
  }

  /**
   * Leaves a room for good: it leaves the user's room list on every device and is no longer rejoined
   * after a reconnect. The owner transfers the ownership first (`LAST_OWNER`).
   */
  async quitRoom(roomId: string): Promise<AckOf<"quit-room">> {
    const ack = await this.request("quit-room", { roomId });
    this.rooms.forget(roomId);
    return ack;
  }

  /**
   * Renames the room, sets its topic (`topic: ""` clears it) and/or its slow mode (`slowMode`: seconds
   * a member waits between two messages, 0 turns it off); owner or admin.
   */
  async updateRoom(roomId: string, changes: { name?: string; topic?: string; slowMode?: number; retentionDays?: number }): Promise<AckOf<"update-room">> {
    return this.request("update-room", { roomId, ...changes });
  }

  /** Makes the room read-only (owner or admin): sends, edits and deletes answer ROOM_ARCHIVED until `unarchiveRoom`. */
  async archiveRoom(roomId: string): Promise<AckOf<"archive-room">> {
    return this.request("archive-room", { roomId });
  }

  async unarchiveRoom(roomId: string): Promise<AckOf<"unarchive-room">> {
    return this.request("unarchive-room", { roomId });
  }

  /** Deletes the room with its messages (the owner only); every member's devices get `room-deleted`. */
  async deleteRoom(roomId: string): Promise<AckOf<"delete-room">> {
    const ack = await this.request("delete-room", { roomId });
    this.rooms.forget(roomId);
    return ack;
  }

  /**
   * Uploads a file for a message of `roomId` (docs/protocol.md, "Attachments"): `create-upload`
   * (refused with `UPLOAD_TOO_LARGE`, `UNSUPPORTED_TYPE`, ...), then the bytes `PUT` where it says.
   * `onProgress` hears the gateway's `upload-progress` events (the local store; an object store takes
   * the bytes itself and tells nothing until the end), and once more when the upload is done.
   * Resolves with the attachment: send it with `sendMessage(roomId, body, { attachments: [id] })`.
   */
  async upload(roomId: string, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
    const name = options.name ?? (file as Partial<File>).name ?? "file";
    const contentType = options.contentType ?? (file.type || "application/octet-stream");
    const { attachment, upload } = await this.request("create-upload", { roomId, name, contentType, size: file.size });
    const progress = options.onProgress;
    const off = progress ? this.on("upload-progress", (p) => p.attachmentId === attachment.id && progress(p)) : () => {};
    try {
      const res = await fetch(new URL(upload.url, this.base || undefined), {
        method: upload.method, headers: upload.headers, body: file, signal: options.signal,
      });
      if (!res.ok) throw await httpError(res);
      progress?.({ attachmentId: attachment.id, received: file.size, total: file.size });
      return attachment;
    } finally {
      off();
    }
  }

  /**
   * The bytes of an attachment (`thumbnail`: its small PNG) as a Blob. The gateway wants the token as
   * a bearer, which an `<img src>` cannot send: show it through `URL.createObjectURL(blob)`.
   */
  async downloadAttachment(id: string, options: { thumbnail?: boolean; signal?: AbortSignal } = {}): Promise<Blob> {
    if (!this.token) this.token = await fetchToken(this.options.token);
    const path = `/api/attachments/${encodeURIComponent(id)}${options.thumbnail ? "/thumbnail" : ""}`;
    const get = () => fetch(new URL(path, this.base || undefined), {
      headers: { Authorization: `Bearer ${this.token}` }, signal: options.signal,
    });
    let res = await get();
    // The token expired between two refreshes (a laptop asleep): one more try with a fresh one.
    if (res.status === 401 && typeof this.options.token === "function") {
      this.token = await fetchToken(this.options.token);
      res = await get();
    }
    if (!res.ok) throw await httpError(res);
    return res.blob();
  }

  /** A page of history; the seqs it returns count as seen for catch-up. */
  async fetchHistory(payload: Payload<"fetch-history">): Promise<AckOf<"fetch-history">> {
    const page = await this.request("fetch-history", payload);
    page.messages.forEach((m) => this.rooms.seen(m.roomId, m.seq));
    return page;
  }

  /**
   * Sends a message optimistically: the returned outgoing message is `pending` at once, then
   * `confirmed` with its seq, or `failed`. Dropped connections and RATE_LIMITED are retried with the
   * same clientMsgId, so the message is stored at most once.
   */
  sendMessage(roomId: string, body: string, options: SendOptions = {}): { message: OutgoingMessage; result: Promise<SendAck> } {
    return this.outbox.send(roomId, body, options);
  }

  /** Sends a failed message again, with its clientMsgId. */
  retry(clientMsgId: string): Promise<SendAck> {
    return this.outbox.retry(clientMsgId);
  }

  /** Replaces the session's token now (the server checks it is for the same user). */
  async refreshToken(): Promise<number> {
    const token = await fetchToken(this.options.token);
    const ack = await this.request("refresh-token", { token });
    const expiresAt = ack.expiresAt ?? tokenExpiry(token) ?? 0;
    this.token = token;
    this.events.emit("token-refreshed", { expiresAt });
    this.scheduleRefresh(expiresAt || null);
    return expiresAt;
  }

  /** Requests that are safe to repeat, sent again after RATE_LIMITED (a sign-in joins every room at once). */
  private async send<E extends RequestName>(event: E, payload: Payload<E>): Promise<AckOf<E>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.emitOnce(event, payload);
      } catch (e) {
        const limited = e instanceof SwitchboardError && e.code === "RATE_LIMITED";
        if (!limited || !REPEATABLE.has(event) || attempt >= RATE_LIMITED_ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, e.retryAfterMs ?? 1000));
      }
    }
  }

  private emitOnce<E extends RequestName>(event: E, payload: Payload<E>): Promise<AckOf<E>> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connected) return reject(SwitchboardError.of("DISCONNECTED", "not connected"));
      const entry: InFlight = { reject };
      this.inFlight.add(entry);
      this.socket.timeout(this.timeoutMs).emit(event, payload, (err: Error | null, ack: { ok: boolean; error?: ErrorBody }) => {
        if (!this.inFlight.delete(entry)) return;
        if (err) return reject(SwitchboardError.of("TIMEOUT", `${event}: no answer within ${this.timeoutMs} ms`));
        if (!ack?.ok) return reject(new SwitchboardError(ack?.error ?? { code: "INTERNAL", message: "bad ack" }));
        const { ok: _ok, ...rest } = ack;
        resolve(rest as unknown as AckOf<E>);
      });
    });
  }

  /** Runs `fn` once the connection is ready (connected and caught up), or fails after the request timeout. */
  private readyThen<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current === "connected") return fn();
    if (this.closed) return Promise.reject(SwitchboardError.of("DISCONNECTED", "client closed"));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== go);
        reject(SwitchboardError.of("DISCONNECTED", "not connected"));
      }, this.timeoutMs);
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.push(go);
    }).then(fn);
  }

  private async onConnect(): Promise<void> {
    const first = !this.everConnected;
    this.everConnected = true;
    this.scheduleRefresh(tokenExpiry(this.token));
    if (!first) {
      this.setState("recovering");
      await this.rooms.recover();
    }
    if (!this.socket.connected) return;
    this.setState("connected");
    if (this.away) this.send("set-status", { status: "away" }).catch(() => {});
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    waiters.forEach((w) => w());
    this.outbox.resume();
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    const dropped = SwitchboardError.of("DISCONNECTED", `connection lost: ${reason}`);
    this.inFlight.forEach((f) => f.reject(dropped));
    this.inFlight.clear();
    if (this.closed || this.current === "offline") return;
    // The server closed the session on purpose: socket.io does not reconnect by itself.
    if (this.tokenExpired) {
      this.tokenExpired = false;
      const renewable = typeof this.options.token === "function";
      this.setState(renewable ? "reconnecting" : "disconnected", "TOKEN_EXPIRED");
      if (renewable) void this.renewAndReconnect();
      return;
    }
    this.setState(reason === "io server disconnect" ? "disconnected" : "reconnecting", reason);
  }

  private async onConnectError(err: Error & { data?: { code?: ErrorCode } }): Promise<void> {
    if (!this.everConnected) return; // connect() reports the first refusal
    const code = err.data?.code;
    if (code === "TOKEN_EXPIRED" || code === "AUTH_FAILED") {
      if (typeof this.options.token === "function") await this.renewAndReconnect();
      else this.setState("disconnected", code);
    } else if (code) {
      // A refusal by a middleware (capacity, draining, limits): socket.io leaves it to us to try again.
      this.setState("reconnecting", code);
      setTimeout(() => !this.closed && !this.socket.connected && this.socket.connect(), 2000);
    }
  }

  private async renewAndReconnect(): Promise<void> {
    if (typeof this.options.token !== "function") return;
    try {
      this.token = await fetchToken(this.options.token);
      this.socket.connect();
    } catch (e) {
      this.setState("disconnected", "token refresh failed");
      this.events.emit("error", SwitchboardError.of("AUTH_FAILED", String(e)));
    }
  }

  private scheduleRefresh(expSeconds: number | null): void {
    clearTimeout(this.refreshTimer);
    if (expSeconds == null || typeof this.options.token !== "function") return;
    this.refreshTimer = setTimeout(() => {
      this.refreshToken().catch((e) => this.events.emit("error", e));
    }, refreshDelayMs(expSeconds, this.marginMs));
  }

  private setState(state: ConnectionState, reason?: string): void {
    if (this.current === state) return;
    this.current = state;
    this.events.emit("state", { state, reason });
  }
}
