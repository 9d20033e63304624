import type { Socket } from "socket.io-client";
import { SwitchboardError } from "./errors.js";
import { SeqWatermark } from "./seq.js";
import type { AckOf, ChatMessage, JoinAck, Payload, RequestName, ServerEvents } from "./types.js";

type Send = <E extends RequestName>(event: E, payload: Payload<E>) => Promise<AckOf<E>>;

/** Messages a room missed: after a reconnect (`reconnect`), or to fill a gap seen while connected. */
export interface CatchUp {
  roomId: string;
  messages: ChatMessage[];
  reconnect: boolean;
  error?: SwitchboardError;
}

/** How many `fetch-history` pages a catch-up reads after a truncated join before it stops. */
const MAX_CATCH_UP_PAGES = 20;
/** How long a gap in the seqs seen may last before the missing messages are fetched. */
const GAP_WAIT_MS = 1500;

/**
 * The rooms this connection is in, each with the seq up to which every message was seen. After a
 * reconnect each is joined again with `sinceSeq` = that seq, and what it missed is handed over in
 * seq order, exactly once per seq.
 */
export class RoomTracker {
  private readonly joined = new Map<string, SeqWatermark>();
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly send: Send,
    private readonly deliver: (c: CatchUp) => void,
    private readonly me: () => string | null = () => null,
  ) {}

  listen(socket: Socket): void {
    socket.on("room-message-confirmed", (p: ServerEvents["room-message-confirmed"]) => this.seen(p.roomId, p.seq));
    socket.on("room-message-created", (e: ServerEvents["room-message-created"]) => {
      if (!e.new.optimistic && typeof e.new.seq === "number") this.seen(e.new.roomId, e.new.seq);
    });
    // Changes of the room (members, roles, settings) take a seq of the room too: seen like messages, or they would look like gaps.
    for (const event of [
      "room-member-added", "room-member-role-changed", "room-member-unbanned", "room-member-muted", "room-member-unmuted",
      "room-updated", "room-archived", "room-unarchived",
    ] as const) {
      socket.on(event, (e: ServerEvents[typeof event]) => this.seen(e.roomId, e.seq));
    }
    socket.on("room-deleted", (e: ServerEvents["room-deleted"]) => this.forget(e.roomId));
    for (const event of ["room-member-removed", "room-member-banned"] as const) {
      socket.on(event, (e: ServerEvents[typeof event]) => {
        if (e.userId === this.me()) this.forget(e.roomId);
        else this.seen(e.roomId, e.seq);
      });
    }
  }

  /** Stops following a room the user is no longer a member of: it is not rejoined after a reconnect. */
  forget(roomId: string): void {
    this.joined.delete(roomId);
    clearTimeout(this.gapTimers.get(roomId));
    this.gapTimers.delete(roomId);
  }

  /** The rooms joined, and for each the seq up to which every message was seen. */
  get watermarks(): ReadonlyMap<string, number> {
    return new Map([...this.joined].map(([id, w]) => [id, w.value]));
  }

  /**
   * Joins a room. Without `sinceSeq`, messages up to the room's last seq count as seen (the caller
   * pages history as it needs); with it, the ack's `missed` holds every message after it, paged in
   * when the join was truncated.
   */
  async join(roomId: string, sinceSeq?: number): Promise<JoinAck> {
    const ack = await this.send("join-room", sinceSeq == null ? { roomId } : { roomId, sinceSeq });
    const mark = new SeqWatermark(sinceSeq ?? ack.lastSeq);
    // Messages retention deleted are gone, not missing: no gap to fill.
    if (ack.expiredSeq) mark.advanceTo(ack.expiredSeq);
    this.joined.set(roomId, mark);
    const missed = await this.complete(roomId, ack);
    missed.forEach((m) => mark.see(m.seq));
    return { ...ack, missed, truncated: false };
  }

  async leave(roomId: string): Promise<void> {
    this.joined.delete(roomId);
    clearTimeout(this.gapTimers.get(roomId));
    await this.send("leave-room", { roomId });
  }

  /** Notes a seq seen by the application (history pages, acks of its own messages). */
  seen(roomId: string, seq: number): void {
    const mark = this.joined.get(roomId);
    if (!mark) return;
    mark.see(seq);
    if (mark.hasGap && !this.gapTimers.has(roomId)) {
      this.gapTimers.set(roomId, setTimeout(() => void this.fillGap(roomId), GAP_WAIT_MS));
    }
  }

  /** Rejoins every room after a reconnect and delivers what each missed. */
  async recover(): Promise<void> {
    await Promise.all([...this.joined].map(async ([roomId, mark]) => {
      try {
        const ack = await this.send("join-room", { roomId, sinceSeq: mark.value });
        if (ack.expiredSeq) mark.advanceTo(ack.expiredSeq);
        const missed = this.unseen(mark, await this.complete(roomId, ack));
        this.deliver({ roomId, messages: missed, reconnect: true });
      } catch (e) {
        const error = e instanceof SwitchboardError ? e : SwitchboardError.of("INTERNAL", String(e));
        if (error.code === "NOT_FOUND" || error.code === "FORBIDDEN") this.joined.delete(roomId);
        this.deliver({ roomId, messages: [], reconnect: true, error });
      }
    }));
  }

  /** The messages not seen yet, now marked seen. */
  private unseen(mark: SeqWatermark, messages: ChatMessage[]): ChatMessage[] {
    const fresh = messages.filter((m) => !mark.has(m.seq));
    fresh.forEach((m) => mark.see(m.seq));
    return fresh;
  }

  /** The join's missed messages, followed by the pages after them when the join was truncated. */
  private async complete(roomId: string, ack: JoinAck): Promise<ChatMessage[]> {
    const all = [...ack.missed];
    let more = ack.truncated;
    for (let page = 0; more && page < MAX_CATCH_UP_PAGES && all.length > 0; page++) {
      const next = await this.send("fetch-history", { roomId, afterSeq: all[all.length - 1].seq, limit: 100 });
      all.push(...next.messages);
      more = next.hasMore;
    }
    return all;
  }

  private async fillGap(roomId: string): Promise<void> {
    this.gapTimers.delete(roomId);
    const mark = this.joined.get(roomId);
    if (!mark?.hasGap) return;
    try {
      const page = await this.send("fetch-history", { roomId, afterSeq: mark.value, limit: 100 });
      const fresh = this.unseen(mark, page.messages);
      if (fresh.length) this.deliver({ roomId, messages: fresh, reconnect: false });
    } catch {
      // Tried again at the next seq seen, or by the catch-up of the next reconnect.
    }
  }
}
