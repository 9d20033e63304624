import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { Attachments } from "./Attachments";
import { Reactions } from "./Reactions";
import { PresenceDot } from "./RoomHeader";
import type { ChatStore, UserStatus } from "./store";
import type { Line } from "./timeline";

interface Props {
  store: ChatStore;
  roomId: string;
  line: Line;
  own: boolean;
  /** It mentions the user (`@them` or `@room`): highlighted, and said so to screen readers. */
  mentionsMe?: boolean;
  /** The sender's presence. */
  status: UserStatus;
  seenBy?: string[];
  /** The room is archived: no edits or deletes. */
  readOnly?: boolean;
  /** The user is muted in the room: they may delete their messages, not edit them. */
  muted?: boolean;
  /** Opens this message's thread; absent for a reply shown in its thread. */
  onThread?: (messageId: string) => void;
}

const STATUS: Record<Line["status"], string> = {
  sent: "", pending: "sending…", failed: "not sent", optimistic: "", undelivered: "not delivered",
};

export function MessageItem({ store, roomId, line, own, mentionsMe, status, seenBy, readOnly, muted, onThread }: Props) {
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [draft, setDraft] = useState(line.body);
  const field = useRef<HTMLInputElement>(null);
  const item = useRef<HTMLDivElement>(null);
  // The field takes the focus when editing starts (autofocus works on page load only); the message, when it ends.
  const started = useRef(false);
  useLayoutEffect(() => {
    if (editing) field.current?.focus();
    else if (started.current) item.current?.focus();
    started.current ||= editing;
  }, [editing]);
  const time = new Date(line.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  const save = (e: Event) => {
    e.preventDefault();
    setEditing(false);
    if (draft.trim() && draft.trim() !== line.body) void store.editMessage(roomId, line.id!, draft.trim());
  };

  return (
    // Focusable, so that a keyboard user tabs to it and on to its actions, and a tap on a phone shows them.
    <div class={`message ${own ? "own" : ""} ${mentionsMe ? "mentioned" : ""} status-${line.status}`} role="article" tabIndex={0} ref={item}
      aria-label={`${line.senderName}, ${time}${mentionsMe ? ", mentions you" : ""}`} data-testid="message" data-status={line.status}
      data-mentioned={mentionsMe ? "true" : undefined}
      data-seq={line.seq ?? ""} data-sender={line.senderId}>
      <div class="meta">
        <PresenceDot status={status} />
        <strong>{line.senderName}</strong> <span class="muted">{time}</span>
        {line.editedAt && !line.deleted && <span class="muted" data-testid="edited"> (edited)</span>}
        {STATUS[line.status] && <span class="state" data-testid="message-state"> {STATUS[line.status]}</span>}
      </div>
      {editing ? (
        <form class="edit" onSubmit={save}>
          <input name="edit" data-testid="edit-input" aria-label="Edit your message" value={draft} ref={field} onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => e.key === "Escape" && setEditing(false)} />
          <button type="submit">Save</button>
        </form>
      ) : line.deleted ? (
        <div class="body deleted" data-testid="message-body">message deleted</div>
      ) : (
        <div class="body" data-testid="message-body">{line.body}</div>
      )}
      {!line.deleted && !editing && line.attachments?.length ? <Attachments store={store} files={line.attachments} /> : null}
      {line.status === "failed" && line.reason && <div class="reason" data-testid="message-error">{line.reason}</div>}
      {line.id && !line.deleted && (
        <Reactions store={store} roomId={roomId} messageId={line.id} reactions={line.reactions ?? []} canReact={!readOnly && !muted}
          picking={picking} onPicked={() => setPicking(false)} />
      )}
      {onThread && line.id && line.thread && (
        <button type="button" class="thread-link" data-testid="thread-link" data-replies={line.thread.replies}
          onClick={() => onThread(line.id!)}>
          {line.thread.replies === 1 ? "1 reply" : `${line.thread.replies} replies`}
          <span class="muted"> · last {new Date(line.thread.lastReplyAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</span>
        </button>
      )}
      <div class="actions">
        {line.status === "failed" && (
          <button type="button" data-testid="retry" onClick={() => store.retry(line.tempId!)}>Retry</button>
        )}
        {own && line.id && !line.deleted && !editing && !readOnly && (
          <>
            {!muted && <button type="button" data-testid="edit" onClick={() => { setDraft(line.body); setEditing(true); }}>Edit</button>}
            <button type="button" data-testid="delete" onClick={() => void store.deleteMessage(roomId, line.id!)}>Delete</button>
          </>
        )}
        {/* After edit and delete, which a Tab from the message reaches first. */}
        {line.id && !line.deleted && !line.hidden && !readOnly && !muted && !editing && (
          <button type="button" data-testid="add-reaction" aria-expanded={picking ? "true" : "false"}
            onClick={() => setPicking(!picking)}>React</button>
        )}
        {onThread && line.id && !line.deleted && !readOnly && (
          <button type="button" data-testid="reply-in-thread" onClick={() => onThread(line.id!)}>Reply in thread</button>
        )}
        {!own && !editing && (
          <button type="button" data-testid="block-sender" title={`Hide ${line.senderId}'s messages from you, in every room`}
            onClick={() => void store.blocks.blockFromMessage(line.senderId)}>Block {line.senderId}</button>
        )}
      </div>
      {seenBy && <div class="receipt muted" data-testid="receipt">Seen by {seenBy.join(", ")}</div>}
    </div>
  );
}
