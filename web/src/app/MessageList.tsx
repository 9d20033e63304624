import { useLayoutEffect, useRef } from "preact/hooks";
import { MessageItem } from "./MessageItem";
import type { ChatStore, RoomView } from "./store";
import type { Line } from "./timeline";

/** Paging starts when the user scrolls this close to the top. */
const TOP_PX = 40;

/**
 * The room's messages, newest at the bottom. Scrolling to the top loads the page before the oldest
 * message (`fetch-history {beforeSeq}`) and keeps what the user was looking at in place.
 */
export function MessageList({ store, room, me, online }: { store: ChatStore; room: RoomView; me: string; online: Set<string> }) {
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const roomId = room.summary.id;

  useLayoutEffect(() => {
    pinned.current = true;
  }, [roomId]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (pinned.current) {
      el.scrollTop = el.scrollHeight;
    }
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
  return (
    <div class="messages" ref={box} onScroll={onScroll} data-testid="messages">
      {room.hasMore && <div class="older muted">{room.loadingOlder ? "Loading…" : "Scroll up for older messages"}</div>}
      {room.lines.map((line) => (
        <MessageItem key={line.key} store={store} roomId={roomId} line={line} own={line.senderId === me}
          online={online.has(line.senderId)} seenBy={seenBy.get(line.key)} />
      ))}
    </div>
  );
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
