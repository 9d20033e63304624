import {
  SwitchboardError, type CatchUp, type ConnectionState, type JoinAck, type OutgoingMessage, type SendAck, type SendOptions,
  type ServerEvents, type SwitchboardClient,
} from "@switchboard/client";
import * as T from "./timeline.js";

/**
 * A value that views read and subscribe to: `set` replaces it (never mutates it), so that React's
 * useSyncExternalStore sees a new snapshot exactly when something changed.
 */
export class Slice<V> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: V) {}

  readonly get = (): V => this.value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  set(value: V): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    this.listeners.forEach((l) => l());
  }
}

export interface ConnectionView {
  state: ConnectionState;
  reason?: string;
  /** Why the first connection failed (`AUTH_FAILED`, ...), when the provider made it. */
  error?: SwitchboardError;
}

/** `joining` until the `join-room` ack; `failed` with its error (`NOT_FOUND`, `FORBIDDEN`, ...). */
export interface RoomView {
  status: "joining" | "joined" | "failed";
  /** The join's answer: `lastSeq`, `members`, `online`, `mutedUntil`, `slowMode`, ... */
  ack?: JoinAck;
  error?: SwitchboardError;
}

export interface TimelineView {
  messages: T.MessageEntry[];
  /** The latest page is being fetched after the join. */
  loading: boolean;
  /** Older messages than the first shown exist. */
  hasMore: boolean;
  loadingOlder: boolean;
  /** Why the last page could not be fetched. */
  error?: SwitchboardError;
}

/** Typing indicators expire this long after the last `user-typing` (the contract says 5 s without refresh). */
const TYPING_TTL_MS = 5500;
/** While the user types, `typing` is sent again this often (the contract asks for every 2 to 3 s)... */
const TYPING_REFRESH_MS = 2500;
/** ...and `isTyping: false` once they stopped for this long. */
const TYPING_IDLE_MS = 3000;
/** Status changes of several users (a crowd reconnecting) ask for the room's presence once. */
const PRESENCE_DEBOUNCE_MS = 300;
/**
 * While a view shows presence, it is asked again this often: no event tells a room's members that
 * someone connected joined it (the chat app polls the same way).
 */
const PRESENCE_POLL_MS = 10_000;

function asError(e: unknown): SwitchboardError {
  return e instanceof SwitchboardError ? e : SwitchboardError.of("INTERNAL", String(e));
}

/**
 * One room as the hooks see it: joined once (and kept joined across reconnects by the client), its
 * timeline (history pages, own messages from the outbox, others' optimistic copies and confirmations,
 * catch-ups), who types, who is online, how many messages are unread.
 */
export class RoomStore {
  readonly room = new Slice<RoomView>({ status: "joining" });
  readonly timeline = new Slice<TimelineView>({ messages: [], loading: true, hasMore: false, loadingOlder: false });
  readonly typing = new Slice<readonly string[]>([]);
  readonly online = new Slice<readonly string[]>([]);
  readonly unread = new Slice<number>(0);
  private started = false;
  private pageSize = 50;
  private lastSeq = 0;
  private readSeq = 0;
  private readonly typers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSentAt = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private presenceWanted = false;
  private presenceWatchers = 0;
  private presencePoll: ReturnType<typeof setInterval> | undefined;
  private timelineWanted = false;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: SwitchboardClient, readonly roomId: string) {}

  private get me(): string | null {
    return this.client.userId;
  }

  /** Joins the room, the first time a hook asks. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.join();
  }

  private async join(): Promise<void> {
    let ack: JoinAck;
    try {
      ack = await this.client.joinRoom(this.roomId);
    } catch (e) {
      this.room.set({ status: "failed", error: asError(e) });
      this.timeline.set({ ...this.timeline.get(), loading: false, error: asError(e) });
      this.started = false; // a later hook may try again
      return;
    }
    this.room.set({ status: "joined", ack });
    this.readSeq = Math.max(this.readSeq, ack.lastSeq - ack.unread);
    this.seen(ack.lastSeq, false);
    if (this.presenceWanted) void this.fetchPresence();
    if (this.timelineWanted) void this.loadLatest(ack);
  }

  /**
   * A view shows the messages: the latest page (of `pageSize`, that of the first view asking) is
   * fetched once joined. Hooks that only count or watch fetch no history.
   */
  watchTimeline(pageSize?: number): void {
    if (this.timelineWanted) return;
    this.timelineWanted = true;
    if (pageSize) this.pageSize = pageSize;
    const room = this.room.get();
    if (room.ack) void this.loadLatest(room.ack);
  }

  private async loadLatest(ack: JoinAck): Promise<void> {
    if (ack.lastSeq === 0 || ack.lastSeq === ack.expiredSeq) {
      this.timeline.set({ ...this.timeline.get(), loading: false, hasMore: false });
      return;
    }
    try {
      const page = await this.client.fetchHistory({ roomId: this.roomId, limit: this.pageSize });
      this.editTimeline((m) => T.mergeDurable(m, page.messages, this.me), { loading: false, hasMore: page.hasMore, error: undefined });
    } catch (e) {
      this.timeline.set({ ...this.timeline.get(), loading: false, error: asError(e) });
    }
  }

  /** The page before the oldest message shown; resolves false when there was none to fetch. */
  async loadOlder(): Promise<boolean> {
    const view = this.timeline.get();
    const beforeSeq = T.lowestSeq(view.messages);
    if (!view.hasMore || view.loadingOlder || beforeSeq == null || beforeSeq <= 1) return false;
    this.timeline.set({ ...view, loadingOlder: true });
    try {
      const page = await this.client.fetchHistory({ roomId: this.roomId, beforeSeq, limit: this.pageSize });
      this.editTimeline((m) => T.mergeDurable(m, page.messages, this.me), { hasMore: page.hasMore, loadingOlder: false, error: undefined });
      return page.messages.length > 0;
    } catch (e) {
      this.timeline.set({ ...this.timeline.get(), loadingOlder: false, error: asError(e) });
      return false;
    }
  }

  send(body: string, options?: SendOptions): { message: OutgoingMessage; result: Promise<SendAck> } {
    this.stopTyping();
    const sent = this.client.sendMessage(this.roomId, body, options);
    // Its failure shows on the entry (status "failed"); whoever awaits `result` still hears it.
    sent.result.catch(() => {});
    return sent;
  }

  retry(clientMsgId: string): Promise<SendAck> {
    const result = this.client.retry(clientMsgId);
    result.catch(() => {});
    return result;
  }

  /** Marks everything up to the last message seen read, on every device of the user. */
  async markRead(): Promise<void> {
    const seq = this.lastSeq;
    if (seq === 0 || this.readSeq >= seq) return;
    this.read(seq);
    const ack = await this.client.request("mark-read", { roomId: this.roomId, seq });
    if (ack.lastReadSeq != null) this.read(ack.lastReadSeq);
  }

  /** The user is typing: tells the room now and every 2.5 s while it goes on, and stops after 3 s without a call. */
  notifyTyping(): void {
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    if (Date.now() - this.typingSentAt < TYPING_REFRESH_MS) return;
    this.typingSentAt = Date.now();
    this.client.request("typing", { roomId: this.roomId, isTyping: true }).catch(() => (this.typingSentAt = 0));
  }

  stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    this.client.request("typing", { roomId: this.roomId, isTyping: false }).catch(() => {});
  }

  /**
   * A view shows who is online here: asked once joined, again at status changes and reconnects, when
   * someone not listed writes or types, and every PRESENCE_POLL_MS while any view watches. Returns
   * the view's unwatch.
   */
  watchPresence(): () => void {
    this.presenceWatchers++;
    if (!this.presenceWanted) {
      this.presenceWanted = true;
      if (this.room.get().status === "joined") void this.fetchPresence();
    }
    if (this.presenceWatchers === 1) {
      this.presencePoll = setInterval(() => {
        if (this.room.get().status === "joined") void this.fetchPresence();
      }, PRESENCE_POLL_MS);
    }
    return () => {
      if (--this.presenceWatchers === 0) clearInterval(this.presencePoll);
    };
  }

  presenceChanged(): void {
    if (!this.presenceWanted || this.room.get().status !== "joined") return;
    clearTimeout(this.presenceTimer);
    this.presenceTimer = setTimeout(() => void this.fetchPresence(), PRESENCE_DEBOUNCE_MS);
  }

  private async fetchPresence(): Promise<void> {
    try {
      const { online } = await this.client.request("get-presence", { roomId: this.roomId });
      const now = [...online].sort();
      const before = this.online.get();
      if (now.length !== before.length || now.some((u, i) => u !== before[i])) this.online.set(now);
    } catch {
      // Presence is down (UNAVAILABLE) or the connection dropped: asked again at the next change.
    }
  }

  // Events of the room, handed over by the ClientStore.

  outgoing(m: OutgoingMessage): void {
    const me = this.me ?? "";
    this.editTimeline((list) => T.upsert(list, T.fromOutgoing(m, me, me)));
    if (m.state === "confirmed" && m.ack) this.seen(m.ack.seq, true);
  }

  created(e: ServerEvents["room-message-created"]): void {
    const m = e.new;
    if (m.optimistic) {
      this.editTimeline((list) => T.upsert(list, T.fromOptimistic(m, this.me)));
    } else {
      this.editTimeline((list) => T.mergeDurable(list, [m], this.me));
      this.seen(m.seq, m.senderId === this.me);
    }
    this.typerStopped(m.senderId);
    this.heardFrom(m.senderId);
  }

  /**
   * Someone who writes or types is connected: if presence does not list them yet (they joined the
   * room after it was last asked, which no status event tells), ask again.
   */
  private heardFrom(userId: string): void {
    if (userId !== this.me && !this.online.get().includes(userId)) this.presenceChanged();
  }

  confirmed(p: ServerEvents["room-message-confirmed"]): void {
    const entry = this.timeline.get().messages.find((e) => e.clientMsgId === p.tempId);
    this.editTimeline((list) => T.confirmed(list, p));
    this.seen(p.seq, entry?.mine ?? false);
  }

  failed(p: ServerEvents["room-message-failed"]): void {
    this.editTimeline((list) => T.failed(list, p));
  }

  updated(e: ServerEvents["room-message-updated"]): void {
    this.editTimeline((list) => T.edited(list, e.new));
  }

  deleted(e: ServerEvents["room-message-deleted"]): void {
    this.editTimeline((list) => T.deleted(list, e.old.id));
  }

  reaction(p: ServerEvents["message-reaction"]): void {
    this.editTimeline((list) => T.reacted(list, p, this.me ?? ""));
  }

  thread(p: ServerEvents["thread-updated"]): void {
    this.editTimeline((list) => T.threadUpdated(list, p.messageId, p.thread));
  }

  /** A change of the room (members, roles, settings) stored as a system message with its seq. */
  change(message: ServerEvents["room-member-added"]["message"]): void {
    this.editTimeline((list) => T.mergeDurable(list, [message], this.me));
    this.seen(message.seq, false);
  }

  catchUp(c: CatchUp): void {
    if (c.error) {
      // The client stops rejoining a room it may no longer enter; other errors are tried at the next reconnect.
      if (c.error.code === "NOT_FOUND" || c.error.code === "FORBIDDEN") this.gone(c.error);
      return;
    }
    this.editTimeline((list) => T.mergeDurable(c.reconnect ? T.dropOptimistic(list) : list, c.messages, this.me));
    c.messages.forEach((m) => this.seen(m.seq, m.senderId === this.me));
    if (c.reconnect) this.presenceChanged();
  }

  /** The room was deleted, or this user removed or banned from it: the client no longer rejoins it. */
  gone(error: SwitchboardError): void {
    this.room.set({ status: "failed", ack: this.room.get().ack, error });
    this.started = false;
  }

  receipt(p: ServerEvents["read-receipt"]): void {
    if (p.userId === this.me) this.read(p.seq);
  }

  userTyping(p: ServerEvents["user-typing"]): void {
    if (p.userId === this.me) return;
    if (!p.isTyping) return this.typerStopped(p.userId);
    this.heardFrom(p.userId);
    clearTimeout(this.typers.get(p.userId));
    this.typers.set(p.userId, setTimeout(() => this.typerStopped(p.userId), TYPING_TTL_MS));
    this.publishTypers();
  }

  /** The connection dropped: nobody is seen typing until told again. */
  disconnected(): void {
    this.typers.forEach((t) => clearTimeout(t));
    this.typers.clear();
    this.publishTypers();
    this.typingSentAt = 0;
  }

  private typerStopped(userId: string): void {
    if (!this.typers.has(userId)) return;
    clearTimeout(this.typers.get(userId));
    this.typers.delete(userId);
    this.publishTypers();
  }

  private publishTypers(): void {
    const now = [...this.typers.keys()].sort();
    const before = this.typing.get();
    if (now.length !== before.length || now.some((u, i) => u !== before[i])) this.typing.set(now);
  }

  /**
   * A durable seq of the room. Unread is the room's last seq minus the read position, as the server
   * counts it; the user's own message counts as read when everything before it was.
   */
  private seen(seq: number, mine: boolean): void {
    if (mine && this.readSeq >= seq - 1) this.readSeq = Math.max(this.readSeq, seq);
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.unread.set(Math.max(0, this.lastSeq - this.readSeq));
  }

  private read(seq: number): void {
    this.readSeq = Math.max(this.readSeq, seq);
    this.unread.set(Math.max(0, this.lastSeq - this.readSeq));
  }

  private editTimeline(edit: (m: T.MessageEntry[]) => T.MessageEntry[], change: Partial<TimelineView> = {}): void {
    const view = this.timeline.get();
    const messages = edit(view.messages);
    if (messages === view.messages && Object.keys(change).length === 0) return;
    this.timeline.set({ ...view, ...change, messages });
  }
}

const MEMBER_EVENTS = [
  "room-member-added", "room-member-removed", "room-member-role-changed", "room-member-banned", "room-member-unbanned",
  "room-member-muted", "room-member-unmuted", "room-updated", "room-archived", "room-unarchived",
] as const;

/** The rooms and the connection state of one client, fed by its events; one per client. */
export class ClientStore {
  readonly connection: Slice<ConnectionView>;
  private readonly rooms = new Map<string, RoomStore>();

  constructor(readonly client: SwitchboardClient) {
    this.connection = new Slice<ConnectionView>({ state: client.state });
    const c = client;
    c.onClient("state", ({ state, reason }) => {
      this.connection.set({ state, reason });
      if (state === "reconnecting" || state === "offline" || state === "disconnected") this.rooms.forEach((r) => r.disconnected());
    });
    c.onClient("outgoing", (m) => this.rooms.get(m.roomId)?.outgoing(m));
    c.onClient("catch-up", (u) => this.rooms.get(u.roomId)?.catchUp(u));
    c.on("room-message-created", (e) => this.rooms.get(e.new.roomId)?.created(e));
    c.on("room-message-confirmed", (p) => this.rooms.get(p.roomId)?.confirmed(p));
    c.on("room-message-failed", (p) => this.rooms.get(p.roomId)?.failed(p));
    c.on("room-message-updated", (e) => this.rooms.get(e.new.roomId)?.updated(e));
    c.on("room-message-deleted", (e) => this.rooms.get(e.old.roomId)?.deleted(e));
    c.on("message-reaction", (p) => this.rooms.get(p.roomId)?.reaction(p));
    c.on("thread-updated", (p) => this.rooms.get(p.roomId)?.thread(p));
    c.on("read-receipt", (p) => this.rooms.get(p.roomId)?.receipt(p));
    c.on("user-typing", (p) => this.rooms.get(p.roomId)?.userTyping(p));
    // The event does not say through which room it came: each room watched asks who is online in it.
    c.on("user-status-changed", () => this.rooms.forEach((r) => r.presenceChanged()));
    for (const event of MEMBER_EVENTS) c.on(event, (e: ServerEvents[typeof event]) => this.rooms.get(e.roomId)?.change(e.message));
    c.on("room-deleted", (e) => this.rooms.get(e.roomId)?.gone(SwitchboardError.of("NOT_FOUND", "the room was deleted")));
    for (const event of ["room-member-removed", "room-member-banned"] as const) {
      c.on(event, (e: ServerEvents[typeof event]) => {
        if (e.userId === c.userId) this.rooms.get(e.roomId)?.gone(SwitchboardError.of("FORBIDDEN", `you were ${event === "room-member-banned" ? "banned" : "removed"}`));
      });
    }
  }

  room(roomId: string): RoomStore {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new RoomStore(this.client, roomId)));
    return room;
  }

  /** The provider's first connection failed (bad token, server refusing): the state says so. */
  connectFailed(error: SwitchboardError): void {
    this.connection.set({ state: "disconnected", reason: error.code, error });
  }
}

const stores = new WeakMap<SwitchboardClient, ClientStore>();

/** The store of a client, made at its first use. */
export function storeOf(client: SwitchboardClient): ClientStore {
  let store = stores.get(client);
  if (!store) stores.set(client, (store = new ClientStore(client)));
  return store;
}
