import { useLayoutEffect, useRef } from "preact/hooks";
import { MessageItem } from "./MessageItem";
import { statusOf, type ChatStore, type Presence, type RoomView } from "./store";
import * as Mod from "./moderation";
import * as T from "./timeline";
import type { Line } from "./timeline";
import { useNow } from "./useStore";
import { formatTime } from "./when";
import { mentionsUser } from "../lib";

/** Paging starts when the user scrolls this close to the top. */
const TOP_PX = 40;

/**
 * The room's messages, newest at the bottom. Scrolling to the top loads the page before the oldest
 * message (`fetch-history {beforeSeq}`) and keeps what the user was looking at in place.
 */
export function MessageList({ store, room, me, presence, onThread }: {
  store: ChatStore; room: RoomView; me: string; presence: Presence; onThread: (messageId: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  /** The list's height after the previous render: where its bottom was before this one. */
  const height = useRef(0);
  const roomId = room.summary.id;

  useLayoutEffect(() => {
    pinned.current = true;
    height.current = 0;
  }, [roomId]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (pinned.current && height.current - el.scrollTop - el.clientHeight < 30) {
      // Only while the user is still at the bottom: a scroll whose event has not come yet is theirs to keep.
      el.scrollTop = el.scrollHeight;
    }
    height.current = el.scrollHeight;
  });

  const onScroll = () => {
    const el = box.current!;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
    if (el.scrollTop < TOP_PX && room.hasMore && !room.loadingOlder) {
      anchor.current = { height: el.scrollHeight, top: el.scrollTop };
      void store.loadOlder(roomId);
    }
  };

  const seenBy = receiptsByLine(room.lines, room.receipts, me);
  const muted = Mod.mutedUntil(room.moderation, me);
  useNow(muted?.getTime() ?? null);
  return (
    // A log: screen readers announce the messages that come, politely.
    <div class="messages" ref={box} onScroll={onScroll} data-testid="messages" role="log" aria-label={`Messages in ${room.summary.name}`}>
      {room.hasMore && <div class="older muted">{room.loadingOlder ? "Loading…" : "Scroll up for older messages"}</div>}
      {runs(T.mainLines(room.lines)).map((run) => Array.isArray(run) ? <HiddenMessages key={run[0].key} lines={run} />
        : run.event !== undefined ? <SystemNotice key={run.key} line={run} /> : (
          <MessageItem key={run.key} store={store} roomId={roomId} line={run} own={run.senderId === me}
            mentionsMe={mentionsUser(run, me)}
            status={statusOf(presence, run.senderId)} seenBy={seenBy.get(run.key)} readOnly={room.summary.archived} muted={muted != null}
            onThread={onThread} />
        ))}
    </div>
  );
}

/** A change of the room (a member added, the room renamed, ...), centred between the messages. */
function SystemNotice({ line }: { line: Line }) {
  const time = new Date(line.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return (
    <div class="system-message" role="note" data-testid="system-message" data-event={line.event} data-seq={line.seq ?? ""}>
      <span data-testid="system-body">{readable(line)}</span> <span class="muted">· {time}</span>
    </div>
  );
}

/** The lines, with each run of placeholders of blocked users' messages as one. */
function runs(lines: Line[]): (Line | Line[])[] {
  const out: (Line | Line[])[] = [];
  for (const line of lines) {
    const last = out[out.length - 1];
    if (!line.hidden) out.push(line);
    else if (Array.isArray(last)) last.push(line);
    else out.push([line]);
  }
  return out;
}

/** Messages of users this user blocks: collapsed, saying how many and whose. */
function HiddenMessages({ lines }: { lines: Line[] }) {
  const senders = [...new Set(lines.map((l) => l.senderId))];
  const n = lines.length;
  return (
    <div class="hidden-messages muted" role="note" data-testid="hidden-messages" data-count={n} data-senders={senders.join(" ")}>
      {n === 1 ? "1 hidden message" : `${n} hidden messages`} from {senders.join(", ")}, whom you blocked
    </div>
  );
}

/** The change's sentence; a mute's end in the reader's time, not the server's ISO-8601. */
function readable(line: Line): string {
  const until = line.event === Mod.MUTED ? line.meta?.mutedUntil : undefined;
  return typeof until === "string" ? line.body.replace(until, formatTime(new Date(until))) : line.body;
}

/** Each reader is shown once, under the newest message of mine their read position covers. */
function receiptsByLine(lines: Line[], receipts: Map<string, number>, me: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const mine = lines.filter((l) => l.senderId === me && l.seq != null);
  receipts.forEach((seq, user) => {
    const line = [...mine].reverse().find((l) => l.seq! <= seq);
    if (line) out.set(line.key, [...(out.get(line.key) ?? []), user]);
  });
  return out;
}
