import { useState, type FormEvent } from "react";
import { useMessages, usePresence, useRoom, useTyping, useUnread, type MessageEntry } from "@switchboard/react";

/** One room: its messages (older pages on demand), a composer, who types, who is online, what is unread. */
export function Room({ roomId, name }: { roomId: string; name: string }) {
  const room = useRoom(roomId);
  const { messages, hasMore, loading, loadingOlder, loadOlder, send, retry } = useMessages(roomId, { pageSize: 20 });
  const { typing, notifyTyping, stopTyping } = useTyping(roomId);
  const online = usePresence(roomId);
  const { unread, markRead } = useUnread(roomId);
  const [text, setText] = useState("");

  if (room.status === "failed") return <p role="alert">Cannot join: {room.error?.code}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    send(text.trim());
    setText("");
  };
  return (
    <section>
      <h2 data-testid="room-title">{name}</h2>
      <p data-testid="online">Online: {online.join(", ")}</p>
      <p>
        <span data-testid="unread">{unread}</span> unread{" "}
        <button type="button" onClick={() => void markRead()} disabled={unread === 0}>Mark read</button>
      </p>
      {hasMore && (
        <button type="button" data-testid="load-older" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? "Loading…" : "Older messages"}
        </button>
      )}
      {loading ? <p>Loading…</p> : (
        <ol data-testid="messages">
          {messages.map((m) => <Message key={m.key} m={m} retry={retry} />)}
        </ol>
      )}
      <p data-testid="typing" aria-live="polite">{typing.length ? `${typing.join(", ")} typing…` : ""}</p>
      <form onSubmit={submit}>
        <input
          data-testid="composer" aria-label="Message" value={text} disabled={room.status !== "joined"}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value) notifyTyping();
            else stopTyping();
          }}
        />
        <button type="submit" data-testid="send" disabled={room.status !== "joined"}>Send</button>
      </form>
    </section>
  );
}

function Message({ m, retry }: { m: MessageEntry; retry: (clientMsgId: string) => void }) {
  return (
    <li data-testid="message" data-status={m.status} data-seq={m.seq ?? ""} data-mine={m.mine}>
      <b>{m.senderName}</b>: <span data-testid="message-body">{m.deleted ? "(deleted)" : m.body}</span>{" "}
      <span className="meta">{m.status === "sent" ? `#${m.seq}` : m.status}</span>
      {m.status === "failed" && m.mine && (
        <button type="button" onClick={() => retry(m.clientMsgId!)}>Retry ({m.error})</button>
      )}
    </li>
  );
}
