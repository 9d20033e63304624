import { watchAway } from "./away";
import {
  SwitchboardClient, type Attachment, type CatchUp, type ConnectionState, type Member, type OutgoingMessage, type Room, type RoomKind,
  type RoomSummary, type ServerEvents,
} from "../lib";
import { Blocks } from "./blocks";
import { errorText } from "./errorText";
import { roleOf } from "./membership";
import * as Mod from "./moderation";
import { RoomChanges } from "./roomChanges";
import * as T from "./timeline";

export interface RoomView {
  summary: RoomSummary;
  lines: T.Line[];
  loaded: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  /** userId to the time their typing indicator expires. */
  typing: Map<string, number>;
  /** userId to the highest seq they marked read. */
  receipts: Map<string, number>;
  lastMarked: number;
  /** The members with their roles, once listed (the room's panel asks), then kept by the room's events. */
  members: Member[] | null;
  /** Users this page saw banned and not unbanned since (the contract has no list of bans). */
  banned: Set<string>;
  /** Invitations created on this page: a token is shown once. */
  invites: Invite[];
  /** Who is muted, the slow mode and this user's wait in it. */
  moderation: Mod.Moderation;
}

export interface Invite {
  token: string;
  link: string;
  expiresAt: string;
  maxUses: number | null;
}

/** A line above the room: a request that failed, or news about a room (removed, deleted). */
export interface Notice {
  kind: "error" | "info";
  text: string;
}

/** Who is connected, and which of them are away (docs/protocol.md, "Presence"). */
export interface Presence {
  online: Set<string>;
  away: Set<string>;
}

export type UserStatus = "online" | "away" | "offline";

export function statusOf(presence: Presence, user: string): UserStatus {
  return !presence.online.has(user) ? "offline" : presence.away.has(user) ? "away" : "online";
}

export interface ChatState {
  me: string;
  myName: string;
  connection: ConnectionState;
  reason?: string;
  rooms: Map<string, RoomView>;
  publicRooms: RoomSummary[];
  current: string | null;
  online: Set<string>;
  /** Of the online users, those away from every device of theirs (page hidden, idle). */
  away: Set<string>;
  /** Whom this user blocks: their messages come as placeholders. */
  blocked: Set<string>;
  notice?: Notice;
}

/** Typing indicators expire this long after the last `user-typing` (the contract says 5 s). */
const TYPING_TTL_MS = 5500;
const JOINS_AT_ONCE = 5;
const ROOMS_EVERY_MS = 30_000;
/** `get-presence` for the open room this often, besides the `user-status-changed` events. */
const PRESENCE_EVERY_MS = 20_000;

/**
 * The chat app's state and actions: fed by the client's events (messages, confirmations, receipts,
 * typing, presence, catch-ups, own outgoing messages), changed by the user's actions. Views
 * subscribe and re-render on every change.
 */
export class ChatStore {
  readonly state: ChatState;
  /** Members, roles, settings, invitations: the rooms people run. */
  readonly changes: RoomChanges;
  /** Whom the user blocks. */
  readonly blocks: Blocks;
  private readonly listeners = new Set<() => void>();
  private markTimer: ReturnType<typeof setTimeout> | undefined;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** On a phone the room list may cover the open room: what comes then is unread, not seen. */
  private roomInView = true;
  /** Rooms being joined: the same room may be asked for by list-rooms and by an event at once. */
  private readonly entering = new Map<string, Promise<RoomView>>();
  /** This user's uploads, which their outgoing messages name by id only. */
  private readonly uploads = new Map<string, Attachment>();
  /** Object URLs of the thumbnails shown: an `<img>` cannot send the token the gateway wants. */
  private readonly thumbnails = new Map<string, Promise<string>>();

  constructor(readonly client: SwitchboardClient, me: string, myName: string) {
    this.state = { me, myName, connection: client.state, rooms: new Map(), publicRooms: [], current: null, online: new Set(),
      away: new Set(), blocked: new Set() };
    this.wire();
    this.changes = new RoomChanges({
      client, state: this.state, edit: (id, change) => this.edit(id, change), arrived: (room, n) => this.arrived(room, n),
      changed: () => this.changed(), loadRooms: () => this.loadRooms(), open: (id) => this.open(id),
    });
    this.blocks = new Blocks({ client, state: this.state, changed: () => this.changed() });
    setInterval(() => this.expireTyping(), 1000);
    setInterval(() => void this.refreshPresence(), PRESENCE_EVERY_MS);
    setInterval(() => this.client.state === "connected" && void this.loadRooms().catch(() => {}), ROOMS_EVERY_MS);
    document.addEventListener("visibilitychange", () => this.markRead());
    watchAway(client);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }

  private wire(): void {
    const c = this.client;
    c.onClient("state", ({ state, reason }) => {
      this.state.connection = state;
      this.state.reason = reason;
      this.changed();
    });
    c.onClient("outgoing", (m) => this.outgoing(m));
    c.onClient("catch-up", (u) => this.catchUp(u));
    c.on("room-message-created", (e) => this.created(e));
    c.on("room-message-confirmed", (p) => this.confirmed(p));
    c.on("room-message-failed", (p) => this.edit(p.roomId, (r) => {
      const line = r.lines.find((l) => l.tempId === p.tempId && l.status === "optimistic");
      if (line) r.lines = T.upsert(r.lines, { ...line, status: "undelivered", error: p.code });
    }));
    c.on("room-message-updated", (e) => this.edit(e.new.roomId, (r) => (r.lines = T.edited(r.lines, e.new))));
    c.on("room-message-deleted", (e) => this.edit(e.old.roomId, (r) => (r.lines = T.removedBody(r.lines, e.old.id))));
    c.on("message-reaction", (p) => this.edit(p.roomId, (r) => (r.lines = T.reacted(r.lines, p.messageId, p, this.state.me))));
    c.on("thread-updated", (p) => this.edit(p.roomId, (r) => (r.lines = T.threadUpdated(r.lines, p.messageId, p.thread))));
    c.on("read-receipt", (p) => this.edit(p.roomId, (r) => {
      if (p.userId !== this.state.me) r.receipts.set(p.userId, Math.max(p.seq, r.receipts.get(p.userId) ?? 0));
    }));
    c.on("user-typing", (p) => this.edit(p.roomId, (r) => {
      if (p.userId === this.state.me) return;
      if (p.isTyping) r.typing.set(p.userId, Date.now() + TYPING_TTL_MS);
      else r.typing.delete(p.userId);
    }));
    c.on("user-status-changed", (p) => {
      this.mark(p.userId, p.status);
      this.changed();
    });
    c.on("sidebar-refresh-requested", () => void this.loadRooms());
    // A room created with the user (on another device, or by someone else) is in the sidebar at once.
    c.on("room-created", ({ room }) => void this.enter(summaryOf(room)).then(() => this.changed(), () => {}));
  }

  dismissNotice(): void {
    this.state.notice = undefined;
    this.changed();
  }

  /**
   * Lists the user's rooms and the tenant's public rooms, and joins the user's rooms not joined yet
   * (rooms others added the user to since). At sign-in, then every 30 s.
   */
  async loadRooms(): Promise<void> {
    const { rooms } = await this.client.request("list-rooms", {});
    this.state.publicRooms = rooms.filter((r) => !r.member && !this.state.rooms.has(r.id));
    rooms.forEach((r) => {
      const known = this.state.rooms.get(r.id);
      if (known) Object.assign(known.summary, { name: r.name, kind: r.kind, members: r.members, topic: r.topic, archived: r.archived });
    });
    const mine = rooms.filter((r) => r.member && !this.state.rooms.has(r.id));
    // A few joins at a time: join-room has its own rate limit.
    for (let i = 0; i < mine.length; i += JOINS_AT_ONCE) {
      await Promise.all(mine.slice(i, i + JOINS_AT_ONCE).map((r) => this.enter(r)));
      this.changed();
    }
    this.changed();
  }

  private enter(summary: RoomSummary): Promise<RoomView> {
    const known = this.state.rooms.get(summary.id);
    if (known) return Promise.resolve(known);
    let entering = this.entering.get(summary.id);
    if (!entering) {
      entering = this.join(summary).finally(() => this.entering.delete(summary.id));
      this.entering.set(summary.id, entering);
    }
    return entering;
  }

  private async join(summary: RoomSummary): Promise<RoomView> {
    const ack = await this.client.joinRoom(summary.id);
    const view: RoomView = {
      summary: { ...summary, unread: ack.unread, lastSeq: ack.lastSeq, members: ack.members, member: true }, lines: [],
      loaded: false, hasMore: ack.lastSeq > 0, loadingOlder: false, typing: new Map(), receipts: new Map(), lastMarked: 0,
      members: null, banned: new Set(), invites: [], moderation: Mod.fromJoin(ack, this.state.me),
    };
    this.state.rooms.set(summary.id, view);
    this.state.publicRooms = this.state.publicRooms.filter((r) => r.id !== summary.id);
    return view;
  }

  async joinRoom(summary: RoomSummary): Promise<void> {
    await this.run(async () => {
      if (!this.state.rooms.has(summary.id)) await this.enter(summary);
      await this.open(summary.id);
    });
  }

  async joinById(roomId: string): Promise<void> {
    await this.joinRoom({
      id: roomId, name: roomId, kind: "group", lastSeq: 0, unread: 0, unreadMentions: 0, members: 0, member: true, topic: null,
      archived: false,
    });
  }

  async createRoom(name: string, kind: RoomKind, members: string[]): Promise<void> {
    await this.run(async () => {
      const { room } = await this.client.request("create-room", { name, kind, members });
      await this.enter(summaryOf(room));
      await this.open(room.id);
    });
  }

  /** Shows a room: its latest page of history and who is online in it, the first time. */
  async open(roomId: string): Promise<void> {
    this.state.current = roomId;
    const room = this.state.rooms.get(roomId);
    this.changed();
    if (!room || room.loaded) return this.markRead();
    const page = await this.client.fetchHistory({ roomId, limit: 50 });
    Mod.merge(room, page.messages);
    room.hasMore = page.hasMore;
    room.loaded = true;
    this.changed();
    this.changes.knowRole(roomId);
    await this.refreshPresence();
    this.markRead();
  }

  /** The page before the oldest message shown; false when there is none. */
  async loadOlder(roomId: string): Promise<boolean> {
    const room = this.state.rooms.get(roomId);
    const beforeSeq = room && T.lowestSeq(room.lines);
    if (!room || !room.hasMore || room.loadingOlder || beforeSeq == null || beforeSeq <= 1) return false;
    room.loadingOlder = true;
    this.changed();
    try {
      const page = await this.client.fetchHistory({ roomId, beforeSeq, limit: 30 });
      Mod.merge(room, page.messages);
      room.hasMore = page.hasMore;
      return page.messages.length > 0;
    } finally {
      room.loadingOlder = false;
      this.changed();
    }
  }

  /** A message of the open room; with files, their names stand for an empty text (a message has one). */
  send(body: string, attachments: Attachment[] = []): void {
    const roomId = this.state.current;
    const text = body.trim() || attachments.map((a) => a.name).join(", ");
    if (!roomId || !text) return;
    attachments.forEach((a) => this.uploads.set(a.id, a));
    const options = attachments.length ? { attachments: attachments.map((a) => a.id) } : {};
    this.client.sendMessage(roomId, text, options).result.catch(() => {});
    this.client.request("typing", { roomId, isTyping: false }).catch(() => {});
  }

  /** Uploads a file for a message of the open room; refusals (UPLOAD_TOO_LARGE, ...) reject. */
  upload(roomId: string, file: File, onProgress: (received: number, total: number) => void): Promise<Attachment> {
    return this.client.upload(roomId, file, { onProgress: (p) => onProgress(p.received, p.total) });
  }

  /** An object URL of an attachment's thumbnail, fetched once per page. */
  thumbnailUrl(id: string): Promise<string> {
    let url = this.thumbnails.get(id);
    if (!url) {
      url = this.client.downloadAttachment(id, { thumbnail: true }).then((blob) => URL.createObjectURL(blob));
      url.catch(() => this.thumbnails.delete(id));
      this.thumbnails.set(id, url);
    }
    return url;
  }

  /** An object URL of a whole attachment; revoke it when done. */
  async attachmentUrl(id: string): Promise<string> {
    return URL.createObjectURL(await this.client.downloadAttachment(id));
  }

  /** Saves an attachment as a file, under its name. */
  async download(file: Attachment): Promise<void> {
    await this.run(async () => {
      const url = await this.attachmentUrl(file.id);
      const link = Object.assign(document.createElement("a"), { href: url, download: file.name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }

  /** A reply in the thread of `rootId`, sent like any message (optimistic, retried). */
  reply(roomId: string, rootId: string, body: string): void {
    if (!body.trim()) return;
    this.client.sendMessage(roomId, body.trim(), { replyTo: rootId }).result.catch(() => {});
  }

  /** Reads a thread's replies into the room's lines (they may be older than the pages shown). */
  async loadThread(roomId: string, rootId: string): Promise<void> {
    await this.run(async () => {
      const page = await this.client.fetchThread(roomId, rootId, { limit: 100 });
      this.edit(roomId, (r) => Mod.merge(r, [page.root, ...page.messages]));
    });
  }

  /** Adds this user's reaction, or takes it back when they have it. */
  async toggleReaction(roomId: string, messageId: string, emoji: string): Promise<void> {
    await this.run(async () => {
      const line = this.state.rooms.get(roomId)?.lines.find((l) => l.id === messageId);
      const mine = line?.reactions?.some((r) => r.emoji === emoji && r.me);
      const ack = mine ? await this.client.removeReaction(roomId, messageId, emoji)
        : await this.client.addReaction(roomId, messageId, emoji);
      this.edit(roomId, (r) => (r.lines = T.reacted(r.lines, messageId, ack, this.state.me)));
    });
  }

  retry(clientMsgId: string): void {
    this.client.retry(clientMsgId).catch(() => {});
  }

  async editMessage(roomId: string, id: string, body: string): Promise<void> {
    await this.run(async () => {
      const { message } = await this.client.request("edit-message", { roomId, id, body });
      this.edit(roomId, (r) => (r.lines = T.edited(r.lines, message)));
    });
  }

  async deleteMessage(roomId: string, id: string): Promise<void> {
    await this.run(async () => {
      await this.client.request("delete-message", { roomId, id });
      this.edit(roomId, (r) => (r.lines = T.removedBody(r.lines, id)));
    });
  }

  typing(isTyping: boolean): void {
    const roomId = this.state.current;
    if (roomId) this.client.request("typing", { roomId, isTyping }).catch(() => {});
  }

  /** Whether the open room is on screen (false while a phone shows the room list); on screen again, it is read. */
  setRoomInView(inView: boolean): void {
    this.roomInView = inView;
    if (inView) this.markRead();
  }

  private seen(): boolean {
    return this.roomInView && document.visibilityState === "visible";
  }

  /** Marks the open room read up to its newest durable message, once the page is visible. */
  markRead(): void {
    clearTimeout(this.markTimer);
    this.markTimer = setTimeout(() => {
      const room = this.state.current ? this.state.rooms.get(this.state.current) : undefined;
      if (!room || !this.seen()) return;
      const seq = T.highestSeq(room.lines);
      room.summary.unread = 0;
      this.changed();
      if (seq <= room.lastMarked) return;
      room.lastMarked = seq;
      this.client.request("mark-read", { roomId: room.summary.id, seq }).catch(() => (room.lastMarked = 0));
    }, 300);
  }

  /** Away users are still connected: online, and away besides (docs/protocol.md, "Presence"). */
  private mark(user: string, status: UserStatus): void {
    if (status === "offline") this.state.online.delete(user);
    else this.state.online.add(user);
    if (status === "away") this.state.away.add(user);
    else this.state.away.delete(user);
  }

  /** Who of the open room's senders is online, as presence-service sees it now. */
  private async refreshPresence(): Promise<void> {
    const room = this.state.current ? this.state.rooms.get(this.state.current) : undefined;
    if (!room || this.client.state !== "connected") return;
    try {
      const { online, away = [] } = await this.client.request("get-presence", { roomId: room.summary.id });
      const now = new Set(online);
      const awayNow = new Set(away);
      const statusNow = (u: string): UserStatus => (!now.has(u) ? "offline" : awayNow.has(u) ? "away" : "online");
      new Set([...room.lines.map((l) => l.senderId), ...online]).forEach((u) => this.mark(u, statusNow(u)));
      this.changed();
    } catch {
      // Presence is best effort: the dots keep their last state.
    }
  }

  private created(e: ServerEvents["room-message-created"]): void {
    const m = e.new;
    this.edit(m.roomId, (r) => {
      r.lines = m.optimistic ? T.upsert(r.lines, T.fromOptimistic(m)) : T.mergeDurable(r.lines, [m]);
      r.typing.delete(m.senderId);
      // A blocked user's placeholder is not news.
      this.arrived(r, m.senderId === this.state.me || !m.optimistic && m.hidden ? 0 : 1);
      // Someone who writes is connected: ask again soon if their dot says otherwise.
      if (!this.state.online.has(m.senderId) && r.summary.id === this.state.current) {
        clearTimeout(this.presenceTimer);
        this.presenceTimer = setTimeout(() => void this.refreshPresence(), 500);
      }
    });
  }

  /** A confirmation of a message whose optimistic copy this page never saw: fetch the message itself. */
  private confirmed(p: ServerEvents["room-message-confirmed"]): void {
    const room = this.state.rooms.get(p.roomId);
    if (!room) return;
    if (room.lines.some((l) => l.tempId === p.tempId || l.id === p.id)) {
      this.edit(p.roomId, (r) => (r.lines = T.confirm(r.lines, p.tempId, p.id, p.seq, p.attachments, p.mentions)));
      // Read receipts name seqs: a message shown before it had one is marked read now.
      if (p.roomId === this.state.current) this.markRead();
      return;
    }
    this.client.fetchHistory({ roomId: p.roomId, afterSeq: p.seq - 1, beforeSeq: p.seq + 1, limit: 1 })
      .then((page) => this.edit(p.roomId, (r) => {
        Mod.merge(r, page.messages);
        this.arrived(r, page.messages.filter((m) => m.senderId !== this.state.me).length);
      }))
      .catch(() => {});
  }

  private outgoing(m: OutgoingMessage): void {
    this.edit(m.roomId, (r) => {
      r.lines = T.upsert(r.lines, T.fromOutgoing(m, this.state.me, this.state.myName, this.uploads));
      if (m.state === "confirmed") Mod.sent(r.moderation, roleOf(r.members, this.state.me));
      if (m.state === "failed" && m.error) Mod.refused(r.moderation, m.error, this.state.me, T.highestSeq(r.lines));
    });
    // The sender's ack does not describe the files (the room's confirmation, which does, goes to the
    // others): read the stored message for its images' sizes and thumbnails.
    const ack = m.state === "confirmed" && m.attachments?.length ? m.ack : undefined;
    if (ack) {
      this.client.fetchHistory({ roomId: m.roomId, afterSeq: ack.seq - 1, beforeSeq: ack.seq + 1, limit: 1 })
        .then((page) => this.edit(m.roomId, (r) => Mod.merge(r, page.messages)))
        .catch(() => {});
    }
  }

  private catchUp(u: CatchUp): void {
    // Removed, banned or deleted while this page was away: the rejoin was refused.
    if (u.error?.code === "FORBIDDEN" || u.error?.code === "NOT_FOUND") {
      return this.changes.drop(u.roomId, (name) => `You are no longer a member of «${name}».`);
    }
    this.edit(u.roomId, (r) => {
      const others = (lines: T.Line[]) => lines.filter((l) => l.senderId !== this.state.me && !l.hidden).length;
      const before = others(r.lines);
      if (u.reconnect) r.lines = T.dropUnconfirmed(r.lines);
      Mod.merge(r, u.messages);
      // Optimistic copies were counted when they came; only what is new now is unread.
      this.arrived(r, Math.max(0, others(r.lines) - before));
    });
    const room = this.state.rooms.get(u.roomId);
    // Edits and deletes of messages already shown are not part of a catch-up: reread the newest page.
    if (u.reconnect && u.roomId === this.state.current) void this.refreshPresence();
    if (u.reconnect && room?.loaded) {
      this.client.fetchHistory({ roomId: u.roomId, limit: 50 })
        .then((page) => this.edit(u.roomId, (r) => Mod.merge(r, page.messages)))
        .catch(() => {});
    }
  }

  private arrived(room: RoomView, count: number): void {
    if (count === 0) return;
    if (room.summary.id === this.state.current && this.seen()) this.markRead();
    else room.summary.unread += count;
  }

  private edit(roomId: string, change: (room: RoomView) => void): void {
    const room = this.state.rooms.get(roomId);
    if (!room) return;
    change(room);
    this.changed();
  }

  private expireTyping(): void {
    const now = Date.now();
    let any = false;
    this.state.rooms.forEach((r) => r.typing.forEach((until, user) => {
      if (until < now) any = r.typing.delete(user);
    }));
    if (any) this.changed();
  }

  private async run(action: () => Promise<void>): Promise<void> {
    try {
      this.state.notice = undefined;
      await action();
    } catch (e) {
      this.state.notice = { kind: "error", text: errorText(e) };
      this.changed();
    }
  }
}

/** A room just created, as list-rooms would list it. */
function summaryOf(room: Room): RoomSummary {
  return {
    id: room.id, name: room.name, kind: room.kind, lastSeq: 0, unread: 0, unreadMentions: 0, members: room.members.length, member: true,
    topic: null, archived: false,
  };
}
