import { useEffect, useRef, useState } from "preact/hooks";
import { keepFocusIn } from "./focus";
import { MessageItem } from "./MessageItem";
import * as Mod from "./moderation";
import { statusOf, type ChatStore, type Presence, type RoomView } from "./store";
import * as T from "./timeline";
import { NARROW, useMedia } from "./useStore";

/**
 * A message's thread beside the room (over it on a phone): the message, its replies as they come,
 * and a field to reply (`send-message {replyTo}`). Its replies are read once when it opens
 * (`fetch-thread`); the live ones are the room's messages that reply to it.
 */
export function ThreadPanel({ store, room, rootId, me, presence, onClose }: {
  store: ChatStore; room: RoomView; rootId: string; me: string; presence: Presence; onClose: () => void;
}) {
  const [text, setText] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const narrow = useMedia(NARROW);
  const roomId = room.summary.id;
  useEffect(() => {
    heading.current?.focus();
    void store.loadThread(roomId, rootId);
  }, [roomId, rootId]);

  const root = room.lines.find((l) => l.id === rootId);
  const replies = T.threadLines(room.lines, rootId);
  const muted = Mod.mutedUntil(room.moderation, me) != null;
  const closed = room.summary.archived || muted;
  const submit = (e: Event) => {
    e.preventDefault();
    store.reply(roomId, rootId, text);
    setText("");
    // The submit button is disabled with the field empty: the focus stays in the field, for the next reply.
    field.current?.focus();
  };
  const item = (line: T.Line) => (
    <MessageItem key={line.key} store={store} roomId={roomId} line={line} own={line.senderId === me} status={statusOf(presence, line.senderId)}
      readOnly={room.summary.archived} muted={muted} />
  );
  return (
    <section class="panel thread" role="dialog" aria-modal={narrow ? "true" : undefined} aria-labelledby="thread-title"
      data-testid="thread-panel" onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
        else if (narrow) keepFocusIn(e);
      }}>
      <div class="panel-header">
        <h2 id="thread-title" tabIndex={-1} ref={heading}>Thread</h2>
        <button type="button" class="small" aria-label="Close the thread" data-testid="close-thread" onClick={onClose}>×</button>
      </div>
      {root ? item(root) : <p class="muted">Loading…</p>}
      <div class="thread-replies" role="log" aria-label="Replies" data-testid="thread-replies">
        {replies.length === 0 ? <p class="muted">No replies yet.</p> : replies.map(item)}
      </div>
      <form class="composer" onSubmit={submit}>
        <input ref={field} name="reply" data-testid="thread-composer" autoComplete="off" value={text} maxLength={4000} disabled={closed}
          placeholder={closed ? "You cannot reply here" : "Reply in the thread"} aria-label="Reply in the thread"
          onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" disabled={closed || !text.trim()}>Reply</button>
      </form>
    </section>
  );
}
