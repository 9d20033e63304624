import type { ChatMessage, JoinAck, RoomRole, SwitchboardError } from "../lib";
import { mergeDurable, type Line } from "./timeline";

/**
 * A room's mutes and slow mode as this page knows them (docs/protocol.md, "Membership and roles"):
 * from the join's ack (the user's own mute, the slow mode), the room's change events and the
 * system messages that record them (history, catch-ups), and the refusals of the user's own sends.
 * The contract lists no mutes: a member muted before the history this page read shows as muted only
 * once the page hears of it. Each fact keeps the seq of the change it came from, so an older page
 * of history never undoes a newer change. The server decides; this only tells the user what it will
 * refuse, and when.
 */
export interface Moderation {
  /** userId to their mute's end (ISO-8601; null: unmuted) and the seq of the change that said so. */
  mutes: Map<string, { until: string | null; seq: number }>;
  /** Seconds a member waits between two messages; 0: slow mode is off. */
  slowMode: number;
  slowModeSeq: number;
  /** When this user may send again in slow mode (epoch ms; 0: now). */
  nextSendAt: number;
}

export const MUTED = "room-member-muted";
export const UNMUTED = "room-member-unmuted";
export const UPDATED = "room-updated";

/** The longest mute the contract takes: a year. */
export const MAX_MUTE_SECONDS = 31_536_000;
/** The longest slow mode: six hours. */
export const MAX_SLOW_MODE_SECONDS = 21_600;

export function fromJoin(ack: JoinAck, me: string): Moderation {
  const m: Moderation = { mutes: new Map(), slowMode: ack.slowMode ?? 0, slowModeSeq: ack.lastSeq, nextSendAt: 0 };
  if (ack.mutedUntil) m.mutes.set(me, { until: ack.mutedUntil, seq: ack.lastSeq });
  return m;
}

/** Merges stored messages into a room's timeline, and the moderation changes among them into its state. */
export function merge(room: { lines: Line[]; moderation: Moderation }, messages: ChatMessage[]): void {
  room.lines = mergeDurable(room.lines, messages);
  absorb(room.moderation, messages);
}

/** Takes in the mutes, unmutes and slow mode changes among stored messages (events' messages, history, catch-ups). */
export function absorb(m: Moderation, messages: ChatMessage[]): void {
  for (const msg of messages) {
    const meta = msg.meta;
    if (msg.senderId !== "system" || !meta) continue;
    const user = typeof meta.userId === "string" ? meta.userId : undefined;
    if ((meta.event === MUTED || meta.event === UNMUTED) && user && msg.seq > (m.mutes.get(user)?.seq ?? -1)) {
      m.mutes.set(user, { until: meta.event === MUTED && typeof meta.mutedUntil === "string" ? meta.mutedUntil : null, seq: msg.seq });
    } else if (meta.event === UPDATED && typeof meta.slowMode === "number" && msg.seq > m.slowModeSeq) {
      setSlowMode(m, meta.slowMode, msg.seq);
    }
  }
}

function setSlowMode(m: Moderation, seconds: number, seq: number): void {
  m.slowMode = seconds;
  m.slowModeSeq = seq;
  // Off: nothing to wait for. Shorter: the wait cannot be longer than the new slow mode.
  m.nextSendAt = seconds === 0 ? 0 : Math.min(m.nextSendAt, Date.now() + seconds * 1000);
}

/**
 * A send of this user refused: muted (`FORBIDDEN` with `mutedUntil`) or too early (`SLOW_MODE` with
 * `retryAfterMs`). The refusal is the server's state now, newer than any change this page saw (`seq`).
 */
export function refused(m: Moderation, error: SwitchboardError, me: string, seq: number): void {
  if (error.code === "FORBIDDEN" && error.mutedUntil) {
    m.mutes.set(me, { until: error.mutedUntil, seq });
  } else if (error.code === "SLOW_MODE") {
    if (error.slowMode != null && error.slowMode !== m.slowMode) setSlowMode(m, error.slowMode, seq);
    m.nextSendAt = Date.now() + (error.retryAfterMs ?? m.slowMode * 1000);
  }
}

/** A message of this user was stored: in slow mode a member waits before the next one. */
export function sent(m: Moderation, role: RoomRole | undefined): void {
  if (m.slowMode > 0 && slowModeApplies(role)) m.nextSendAt = Date.now() + m.slowMode * 1000;
}

/** Owners and admins are exempt (they moderate the room). Unknown: the server's refusal tells. */
export function slowModeApplies(role: RoomRole | undefined): boolean {
  return role === "member";
}

/** The end of the user's mute, if they are muted now. */
export function mutedUntil(m: Moderation, userId: string, now = Date.now()): Date | null {
  const until = m.mutes.get(userId)?.until;
  const end = until ? new Date(until) : null;
  return end && end.getTime() > now ? end : null;
}

/** How long this user still waits before sending in slow mode (ms; 0: they may send). */
export function slowWait(m: Moderation, now = Date.now()): number {
  return m.slowMode > 0 ? Math.max(0, m.nextSendAt - now) : 0;
}

/** The next moment something shown changes by itself: a mute or a slow mode wait ending. */
export function nextDeadline(m: Moderation, now = Date.now()): number | null {
  const ends = [...m.mutes.values()].map((x) => (x.until ? Date.parse(x.until) : 0));
  const future = [...ends, m.nextSendAt].filter((t) => t > now);
  return future.length ? Math.min(...future) : null;
}
