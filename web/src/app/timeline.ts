import {
  applyReaction, type Attachment, type ChatMessage, type Mentions, type OptimisticMessage, type OutgoingMessage, type Reaction, type ReactionAck,
  type ServerEvents, type ThreadSummary,
} from "../lib";
import { sendRefusal } from "./errorText";

/**
 * One line of a room's timeline. `sent`: durable, with its seq. `pending`/`failed`: this user's own
 * message on its way or refused. `optimistic`: another member's message shown before it is durable.
 * `undelivered`: another member's message that could not be made durable.
 */
export interface Line {
  key: string;
  id?: string;
  tempId?: string;
  seq?: number;
  senderId: string;
  senderName: string;
  body: string;
  createdAt: string;
  editedAt?: string | null;
  deleted: boolean;
  status: "sent" | "pending" | "failed" | "optimistic" | "undelivered";
  error?: string;
  /** The placeholder of a message of a user this user blocks: no body, its place kept. */
  hidden?: boolean;
  /** Why the server refused this user's message, in words (muted, slow mode). */
  reason?: string;
  /** A change of the room stored as a message from `system`: its `meta.event` (`room-member-added`, ...). */
  event?: string;
  /** The change's details (`meta` of its system message). */
  meta?: Record<string, unknown>;
  /** The message whose thread this one is in. */
  replyTo?: string | null;
  /** This message's thread, once it has replies. */
  thread?: ThreadSummary;
  reactions?: Reaction[];
  reactionsVersion?: number;
  /** Its files: by id only while another member's optimistic copy, described once durable. */
  attachments?: LineAttachment[];
  /** Whom it mentions, as the server decided once it was durable (docs/protocol.md, "Mentions"). */
  mentions?: Mentions;
}

/** An attachment as far as this page knows it: its id, and its descriptor once known. */
export type LineAttachment = { id: string } & Partial<Attachment>;

/** How much is known of a line's files: a message's descriptors win over the ids of its copy. */
function detail(files: LineAttachment[] | undefined): number {
  return (files ?? []).reduce((n, f) => n + Object.keys(f).length, 0);
}

/** The sender id of the messages that record a room's changes (docs/protocol.md, "Membership and roles"). */
export const SYSTEM = "system";

export function fromDurable(m: ChatMessage, tempId?: string): Line {
  const line: Line = {
    key: `id:${m.id}`, id: m.id, tempId, seq: m.seq, senderId: m.senderId, senderName: m.senderName ?? m.senderId,
    body: m.body, createdAt: m.createdAt, editedAt: m.editedAt, deleted: m.deleted, status: "sent",
  };
  if (m.hidden) line.hidden = true;
  if (m.replyTo) line.replyTo = m.replyTo;
  if (m.thread) line.thread = m.thread;
  if (m.reactions) Object.assign(line, { reactions: m.reactions, reactionsVersion: m.reactionsVersion });
  if (m.attachments?.length) line.attachments = m.attachments;
  if (m.mentions) line.mentions = m.mentions;
  if (m.senderId === SYSTEM) {
    line.event = typeof m.meta?.event === "string" ? m.meta.event : "";
    if (m.meta) line.meta = m.meta;
  }
  return line;
}

export function fromOptimistic(m: OptimisticMessage): Line {
  return {
    key: `tmp:${m.tempId}`, tempId: m.tempId, senderId: m.senderId, senderName: m.senderName ?? m.senderId,
    body: m.body, createdAt: m.createdAt, deleted: false, status: "optimistic", replyTo: m.replyTo,
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
  };
}

/** `uploads`: the descriptors of this user's own uploads, which the outgoing message names by id. */
export function fromOutgoing(m: OutgoingMessage, me: string, myName: string, uploads?: Map<string, Attachment>): Line {
  const base = {
    tempId: m.clientMsgId, senderId: me, senderName: myName, body: m.body, createdAt: m.createdAt, deleted: false,
    replyTo: m.replyTo,
    ...(m.attachments?.length ? { attachments: m.attachments.map((id) => uploads?.get(id) ?? { id }) } : {}),
  };
  if (m.state === "confirmed" && m.ack) {
    return { ...base, key: `id:${m.ack.id}`, id: m.ack.id, seq: m.ack.seq, createdAt: m.ack.createdAt, status: "sent" };
  }
  return {
    ...base, key: `tmp:${m.clientMsgId}`, status: m.state === "failed" ? "failed" : "pending", error: m.error?.code,
    reason: m.error && sendRefusal(m.error),
  };
}

/** Durable lines by seq, then lines without a seq in the order they came. */
function order(lines: Line[]): Line[] {
  const durable = lines.filter((l) => l.seq != null).sort((a, b) => a.seq! - b.seq!);
  return [...durable, ...lines.filter((l) => l.seq == null)];
}

/**
 * Puts a line into a timeline: it replaces the line with the same message id or the same tempId
 * (an optimistic copy becoming durable), so each message shows once.
 */
export function upsert(lines: Line[], line: Line): Line[] {
  const rest = lines.filter((l) => !(line.id && l.id === line.id) && !(line.tempId && l.tempId === line.tempId));
  const previous = lines.find((l) => (line.id && l.id === line.id) || (line.tempId && l.tempId === line.tempId));
  const merged = previous ? { ...line, tempId: line.tempId ?? previous.tempId, key: line.id ? `id:${line.id}` : line.key } : line;
  // The ack of an own message may come after the confirmation that described its files.
  if (previous && !line.deleted && detail(previous.attachments) > detail(line.attachments)) merged.attachments = previous.attachments;
  return order([...rest, merged]);
}

/**
 * Merges durable messages fetched by a catch-up or a history page. A stored message replaces the
 * optimistic copy whose tempId is its clientMsgId.
 */
export function mergeDurable(lines: Line[], messages: ChatMessage[]): Line[] {
  let out = lines;
  for (const m of messages) {
    const known = out.find((l) => l.id === m.id);
    if (known) {
      out = upsert(out, { ...fromDurable(m), tempId: known.tempId });
      continue;
    }
    const copy = out.find((l) => l.status === "optimistic" && l.tempId === m.clientMsgId);
    out = upsert(copy ? out.filter((l) => l !== copy) : out, fromDurable(m, copy?.tempId));
  }
  return out;
}

/** After a reconnect: others' copies never confirmed will come back durable in the catch-up, or never. */
export function dropUnconfirmed(lines: Line[]): Line[] {
  return lines.filter((l) => l.status !== "optimistic");
}

/** `attachments`: the confirmation's descriptors of the message's files. */
export function confirm(
  lines: Line[], tempId: string, id: string, seq: number, attachments?: Attachment[], mentions?: Mentions,
): Line[] {
  const line = lines.find((l) => l.tempId === tempId);
  if (!line) return lines;
  const files = attachments?.length ? { attachments } : {};
  return upsert(lines.filter((l) => l.id !== id), { ...line, id, seq, key: `id:${id}`, status: "sent", ...files, ...(mentions ? { mentions } : {}) });
}

export function edited(lines: Line[], m: ChatMessage): Line[] {
  const line = lines.find((l) => l.id === m.id);
  return line ? upsert(lines, { ...line, body: m.body, editedAt: m.editedAt, deleted: m.deleted, mentions: m.mentions }) : lines;
}

export function removedBody(lines: Line[], id: string): Line[] {
  const line = lines.find((l) => l.id === id);
  return line ? upsert(lines, { ...line, body: "", deleted: true, attachments: undefined, mentions: undefined }) : lines;
}

/** A change of a message's reactions (an event, or the ack of this user's own): the newest version wins. */
export function reacted(lines: Line[], messageId: string, change: ServerEvents["message-reaction"] | ReactionAck, me: string): Line[] {
  const line = lines.find((l) => l.id === messageId);
  if (!line) return lines;
  const now = applyReaction({ reactions: line.reactions, reactionsVersion: line.reactionsVersion, deleted: line.deleted,
    hidden: line.hidden || undefined } as ChatMessage, change, me);
  return now.reactionsVersion === line.reactionsVersion ? lines
    : upsert(lines, { ...line, reactions: now.reactions, reactionsVersion: now.reactionsVersion });
}

/** A message's thread as it is now: the one with the newest reply wins (two events may cross). */
export function threadUpdated(lines: Line[], messageId: string, thread: ThreadSummary): Line[] {
  const line = lines.find((l) => l.id === messageId);
  if (!line || (line.thread && line.thread.lastReplySeq >= thread.lastReplySeq)) return lines;
  return upsert(lines, { ...line, thread });
}

/** The lines of the room's own timeline: replies show in their thread. */
export function mainLines(lines: Line[]): Line[] {
  return lines.filter((l) => !l.replyTo);
}

/** A thread's replies, in seq order (those not durable yet last). */
export function threadLines(lines: Line[], rootId: string): Line[] {
  return lines.filter((l) => l.replyTo === rootId);
}

export function lowestSeq(lines: Line[]): number | undefined {
  return lines.find((l) => l.seq != null)?.seq;
}

export function highestSeq(lines: Line[]): number {
  return lines.reduce((max, l) => (l.seq != null && l.seq > max ? l.seq : max), 0);
}
