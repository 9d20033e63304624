import {
  applyReaction, type Attachment, type ChatMessage, type ErrorCode, type OptimisticMessage, type OutgoingMessage, type Reaction,
  type ServerEvents, type ThreadSummary,
} from "@switchboard/client";

/**
 * One message of a room as a view shows it. `status`: `sent` durable, with its `seq`; `pending` this
 * user's own message on its way (sent again after drops, with the same `clientMsgId`); `failed` this
 * user's message refused (`error`; `retry` it), or another member's that could not be stored;
 * `optimistic` another member's message shown before it is durable.
 */
export interface MessageEntry {
  /** Stable from the first optimistic copy to the stored message: use it as the React key. */
  key: string;
  id?: string;
  clientMsgId?: string;
  seq?: number;
  senderId: string;
  senderName: string;
  body: string;
  createdAt: string;
  editedAt?: string | null;
  deleted: boolean;
  status: "sent" | "pending" | "failed" | "optimistic";
  /** Sent by the user of this client. */
  mine: boolean;
  /** Why it failed. */
  error?: ErrorCode;
  /** A placeholder of a message of a user this user blocks (docs/protocol.md, "Blocks"). */
  hidden?: boolean;
  replyTo?: string | null;
  meta?: Record<string, unknown> | null;
  reactions?: Reaction[];
  reactionsVersion?: number;
  thread?: ThreadSummary;
  /** By id only while another member's optimistic copy; described once durable. */
  attachments?: ({ id: string } & Partial<Attachment>)[];
}

export function fromDurable(m: ChatMessage, me: string | null): MessageEntry {
  const entry: MessageEntry = {
    key: m.clientMsgId || m.id, id: m.id, clientMsgId: m.clientMsgId, seq: m.seq, senderId: m.senderId,
    senderName: m.senderName ?? m.senderId, body: m.body, createdAt: m.createdAt, editedAt: m.editedAt, deleted: m.deleted,
    status: "sent", mine: m.senderId === me, replyTo: m.replyTo, meta: m.meta,
  };
  if (m.hidden) entry.hidden = true;
  if (m.thread) entry.thread = m.thread;
  if (m.reactions) Object.assign(entry, { reactions: m.reactions, reactionsVersion: m.reactionsVersion });
  if (m.attachments?.length) entry.attachments = m.attachments;
  return entry;
}

export function fromOptimistic(m: OptimisticMessage, me: string | null): MessageEntry {
  return {
    key: m.tempId, clientMsgId: m.tempId, senderId: m.senderId, senderName: m.senderName ?? m.senderId, body: m.body,
    createdAt: m.createdAt, deleted: false, status: "optimistic", mine: m.senderId === me, replyTo: m.replyTo, meta: m.meta,
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
  };
}

export function fromOutgoing(m: OutgoingMessage, me: string, myName: string): MessageEntry {
  const base = {
    key: m.clientMsgId, clientMsgId: m.clientMsgId, senderId: me, senderName: myName, body: m.body, createdAt: m.createdAt,
    deleted: false, mine: true, replyTo: m.replyTo ?? null, meta: m.meta ?? null,
    ...(m.attachments?.length ? { attachments: m.attachments.map((id) => ({ id })) } : {}),
  };
  if (m.state === "confirmed" && m.ack) return { ...base, id: m.ack.id, seq: m.ack.seq, createdAt: m.ack.createdAt, status: "sent" };
  return { ...base, status: m.state === "failed" ? "failed" : "pending", error: m.error?.code };
}

/** Durable entries by seq, then the others in the order they came. */
function order(entries: MessageEntry[]): MessageEntry[] {
  const durable = entries.filter((e) => e.seq != null).sort((a, b) => a.seq! - b.seq!);
  return [...durable, ...entries.filter((e) => e.seq == null)];
}

function same(a: MessageEntry, b: MessageEntry): boolean {
  return (a.id != null && a.id === b.id) || (a.clientMsgId != null && a.clientMsgId === b.clientMsgId && a.senderId === b.senderId);
}

/**
 * Puts an entry into the timeline, replacing the one for the same message (by id, or by clientMsgId
 * and sender: an optimistic copy becoming durable), so that each message shows once. A durable entry
 * is never turned back into a pending or optimistic one by a late event.
 */
export function upsert(entries: MessageEntry[], entry: MessageEntry): MessageEntry[] {
  const previous = entries.find((e) => same(e, entry));
  if (!previous) return order([...entries, entry]);
  if (previous.status === "sent" && entry.status !== "sent") return entries;
  const merged: MessageEntry = { ...entry, key: previous.key };
  // An ack carries no descriptors of the files a confirmation or a history page described.
  if (!entry.attachments?.some((a) => a.name) && previous.attachments?.some((a) => a.name)) merged.attachments = previous.attachments;
  if (!entry.reactions && previous.reactions) Object.assign(merged, { reactions: previous.reactions, reactionsVersion: previous.reactionsVersion });
  if (!entry.thread && previous.thread) merged.thread = previous.thread;
  return order(entries.map((e) => (e === previous ? merged : e)));
}

export function mergeDurable(entries: MessageEntry[], messages: ChatMessage[], me: string | null): MessageEntry[] {
  return messages.reduce((out, m) => upsert(out, fromDurable(m, me)), entries);
}

export function confirmed(entries: MessageEntry[], p: ServerEvents["room-message-confirmed"]): MessageEntry[] {
  const entry = entries.find((e) => e.clientMsgId === p.tempId && e.status !== "sent");
  if (!entry) return entries;
  const files = p.attachments?.length ? { attachments: p.attachments } : {};
  return upsert(entries, { ...entry, id: p.id, seq: p.seq, createdAt: p.createdAt, status: "sent", ...files });
}

export function failed(entries: MessageEntry[], p: ServerEvents["room-message-failed"]): MessageEntry[] {
  return entries.map((e) => (e.clientMsgId === p.tempId && e.status === "optimistic" ? { ...e, status: "failed", error: p.code } : e));
}

export function edited(entries: MessageEntry[], m: ChatMessage): MessageEntry[] {
  return entries.map((e) => (e.id === m.id ? { ...e, body: m.body, editedAt: m.editedAt, deleted: m.deleted } : e));
}

export function deleted(entries: MessageEntry[], id: string): MessageEntry[] {
  return entries.map((e) => (e.id === id ? { ...e, body: "", deleted: true, attachments: undefined, reactions: undefined } : e));
}

export function reacted(entries: MessageEntry[], p: ServerEvents["message-reaction"], me: string): MessageEntry[] {
  return entries.map((e) => {
    if (e.id !== p.messageId) return e;
    const now = applyReaction({ reactions: e.reactions, reactionsVersion: e.reactionsVersion, deleted: e.deleted,
      hidden: e.hidden || undefined } as ChatMessage, p, me);
    return now.reactionsVersion === e.reactionsVersion ? e : { ...e, reactions: now.reactions, reactionsVersion: now.reactionsVersion };
  });
}

export function threadUpdated(entries: MessageEntry[], messageId: string, thread: ThreadSummary): MessageEntry[] {
  return entries.map((e) => (e.id === messageId && (e.thread?.lastReplySeq ?? -1) < thread.lastReplySeq ? { ...e, thread } : e));
}

/** After a reconnect: others' copies never confirmed come back durable in the catch-up, or never. */
export function dropOptimistic(entries: MessageEntry[]): MessageEntry[] {
  return entries.filter((e) => e.status !== "optimistic");
}

export function lowestSeq(entries: MessageEntry[]): number | undefined {
  return entries.find((e) => e.seq != null)?.seq;
}
