import type { SwitchboardClient } from "../lib";
import { errorText } from "./errorText";
import { merge } from "./moderation";
import type { ChatState, RoomView } from "./store";
import * as T from "./timeline";

/** What Blocks needs of the chat store it belongs to. */
export interface BlockHost {
  readonly client: SwitchboardClient;
  readonly state: ChatState;
  changed(): void;
}

/** Pages of 100 reread per room after a block changes, at most: the messages a page shows. */
const REREAD_PAGES = 10;

/**
 * Whom the user blocks (docs/protocol.md, "Blocks"): listed at sign-in and after each reconnect, kept
 * by `user-blocks-changed` (every device of the user hears each change). A blocked user's messages
 * come as placeholders (`hidden`); those shown before a change are reread, so the timeline hides
 * them, or shows them again after an unblock.
 */
export class Blocks {
  /** Whether the list was had once: the first one finds nothing shown to reread. */
  private listed = false;

  constructor(private readonly host: BlockHost) {
    const c = host.client;
    c.on("user-blocks-changed", (e) => this.apply(e.blocked));
    let connected = false;
    c.onClient("state", ({ state }) => {
      // A change made on another device while this one was away came as an event it missed.
      if (state === "connected" && connected) void this.load().catch(() => {});
      if (state === "connected") connected = true;
    });
  }

  async load(): Promise<void> {
    const blocks = await this.host.client.listBlocks();
    this.apply(blocks.map((b) => b.userId), this.listed);
    this.listed = true;
  }

  /** Blocks a user; resolves with a sentence that says what it did, rejects with the server's refusal. */
  async block(userId: string): Promise<string> {
    await this.host.client.blockUser(userId);
    this.apply([...this.host.state.blocked, userId]);
    return `You blocked ${userId}: their messages are hidden from you in every room. Unblock them under Blocked users.`;
  }

  async unblock(userId: string): Promise<string> {
    await this.host.client.unblockUser(userId);
    this.apply([...this.host.state.blocked].filter((u) => u !== userId));
    return `You unblocked ${userId}: their messages show again.`;
  }

  /** Blocks a user from a message's actions: the notice above the room says what it did, or why it failed. */
  async blockFromMessage(userId: string): Promise<void> {
    const { state } = this.host;
    try {
      state.notice = { kind: "info", text: await this.block(userId) };
    } catch (e) {
      state.notice = { kind: "error", text: `Could not block ${userId}: ${errorText(e)}` };
    }
    this.host.changed();
  }

  /** The list as the server says it is now; the rooms shown are reread when it changed. */
  private apply(blocked: string[], reread = true): void {
    const { state } = this.host;
    const now = new Set(blocked);
    const changed = [...now].filter((u) => !state.blocked.has(u)).concat([...state.blocked].filter((u) => !now.has(u)));
    state.blocked = now;
    this.host.changed();
    if (changed.length === 0 || !reread) return;
    state.rooms.forEach((room) => {
      // Their copies not stored yet: the placeholder comes in their place.
      room.lines = room.lines.filter((l) => !(l.status === "optimistic" && now.has(l.senderId)));
      room.typing.forEach((_, u) => now.has(u) && room.typing.delete(u));
      if (room.loaded) void this.reread(room).catch(() => {});
    });
  }

  /** The messages the room shows, read again: placeholders where a block hides them, or the messages again. */
  private async reread(room: RoomView): Promise<void> {
    const roomId = room.summary.id;
    let afterSeq = (T.lowestSeq(room.lines) ?? 1) - 1;
    for (let page = 0; page < REREAD_PAGES; page++) {
      const { messages, hasMore } = await this.host.client.fetchHistory({ roomId, afterSeq, limit: 100 });
      const shown = this.host.state.rooms.get(roomId);
      if (!shown) return;
      merge(shown, messages);
      this.host.changed();
      if (!hasMore || messages.length === 0) return;
      afterSeq = messages[messages.length - 1].seq;
    }
  }
}
