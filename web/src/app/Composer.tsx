import { useEffect, useRef, useState } from "preact/hooks";
import type { Attachment } from "../lib";
import { PaperclipIcon, formatSize } from "./Attachments";
import { errorText } from "./errorText";
import { roleOf } from "./membership";
import * as Mod from "./moderation";
import type { ChatStore, RoomView } from "./store";
import { useNow } from "./useStore";
import { formatSeconds, formatTime, formatWait } from "./when";

/** A file chosen for the next message: uploading (bytes received of total), then uploaded. */
interface Upload {
  key: number;
  name: string;
  received: number;
  total: number;
  attachment?: Attachment;
}

/** The server's limit in words, when its refusal says it ("a file may have at most N bytes"). */
function uploadRefusal(e: unknown): Record<string, string> {
  const most = e instanceof Error ? /at most (\d+) bytes/.exec(e.message) : null;
  return most ? { UPLOAD_TOO_LARGE: `The file is too large: files of at most ${formatSize(Number(most[1]))} can be attached.` } : {};
}

/** The contract's most files on one message. */
const MAX_FILES = 10;

/** `typing` is sent at most every 2 s while the user types, and `false` after 3 s without a key. */
const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;

/**
 * The message field. It says why the user cannot send: the room is archived (read-only), the user is
 * muted (until when; it opens again by itself then), or in slow mode a member waits (a countdown,
 * during which they may type but not send).
 */
export function Composer({ store, room, me }: { store: ChatStore; room: RoomView; me: string }) {
  const { name: roomName, archived } = room.summary;
  const mod = room.moderation;
  const [text, setText] = useState("");
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [uploadError, setUploadError] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  const nextKey = useRef(0);
  const lastSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(idle.current), []);

  const input = (value: string) => {
    setText(value);
    const now = Date.now();
    if (now - lastSent.current > TYPING_EVERY_MS) {
      lastSent.current = now;
      store.typing(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(() => {
      lastSent.current = 0;
      store.typing(false);
    }, TYPING_IDLE_MS);
  };

  const muted = Mod.mutedUntil(mod, me);
  const wait = Mod.slowWait(mod);
  useNow(muted ? muted.getTime() : wait > 0 ? mod.nextSendAt : null);
  const slowApplies = mod.slowMode > 0 && Mod.slowModeApplies(roleOf(room.members, me));
  const closed = archived || muted != null;
  const note = archived ? "archived-note" : muted ? "muted-note" : wait > 0 || slowApplies ? "slow-mode-note" : undefined;

  const uploading = uploads.some((u) => !u.attachment);
  const ready = uploads.flatMap((u) => (u.attachment ? [u.attachment] : []));

  // Each chosen file uploads at once, its progress shown; the message carries it once sent.
  const choose = (files: FileList | null) => {
    setUploadError(undefined);
    const roomId = room.summary.id;
    for (const file of [...(files ?? [])].slice(0, MAX_FILES - uploads.length)) {
      const key = nextKey.current++;
      const change = (c: Partial<Upload>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...c } : u)));
      setUploads((all) => [...all, { key, name: file.name, received: 0, total: file.size }]);
      store.upload(roomId, file, (received, total) => change({ received, total }))
        .then((attachment) => change({ attachment, received: file.size }))
        .catch((e) => {
          setUploads((all) => all.filter((u) => u.key !== key));
          setUploadError(`${file.name} was not attached. ${errorText(e, uploadRefusal(e))}`);
        });
    }
    if (picker.current) picker.current.value = "";
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if ((!text.trim() && ready.length === 0) || uploading || closed || wait > 0) return;
    clearTimeout(idle.current);
    lastSent.current = 0;
    store.send(text, ready);
    setText("");
    setUploads([]);
    setUploadError(undefined);
  };

  return (
    <>
      {archived ? (
        <p class="composer-note" id="archived-note" role="status" data-testid="archived-note">
          This room is archived: it is read-only, nobody can send, edit or delete messages until an owner or admin
          unarchives it.
        </p>
      ) : muted ? (
        <p class="composer-note composer-note-muted" id="muted-note" role="status" data-testid="muted-note"
          data-until={muted.toISOString()}>
          You are muted in this room until <time dateTime={muted.toISOString()}>{formatTime(muted)}</time>
          {" "}({formatWait(muted.getTime() - Date.now())} left): you can read, but not send or edit messages.
        </p>
      ) : wait > 0 ? (
        <p class="composer-note" id="slow-mode-note" role="status" data-testid="slow-mode-note" data-wait="true">
          Slow mode: one message every {formatSeconds(mod.slowMode)}. You can send again in{" "}
          <strong data-testid="slow-mode-countdown">{formatWait(wait)}</strong>.
        </p>
      ) : slowApplies && (
        <p class="composer-note" id="slow-mode-note" data-testid="slow-mode-note" data-wait="false">
          Slow mode: one message every {formatSeconds(mod.slowMode)}.
        </p>
      )}
      {uploadError && (
        <p class="composer-note upload-error" role="alert" data-testid="upload-error">{uploadError}</p>
      )}
      {uploads.length > 0 && (
        <ul class="uploads" aria-label="Files for the next message" data-testid="uploads">
          {uploads.map((u) => (
            <li key={u.key} class="upload" data-testid="upload" data-name={u.name} data-state={u.attachment ? "done" : "uploading"}>
              <span class="upload-name">{u.name} <span class="muted">({formatSize(u.total)})</span></span>
              {u.attachment ? (
                <button type="button" class="link" aria-label={`Remove ${u.name}`} data-testid="remove-upload"
                  onClick={() => setUploads((all) => all.filter((x) => x.key !== u.key))}>Remove</button>
              ) : (
                <progress data-testid="upload-progress" value={u.received} max={u.total || 1} aria-label={`Uploading ${u.name}`} />
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="composer" onSubmit={submit}>
        <input type="file" hidden ref={picker} data-testid="attach-input" multiple onChange={(e) => choose(e.currentTarget.files)} />
        <button type="button" class="attach" data-testid="attach" disabled={closed || uploads.length >= MAX_FILES}
          aria-label="Attach files" title="Attach files (images, PDF, text)" onClick={() => picker.current?.click()}>
          <PaperclipIcon />
        </button>
        <input name="message" data-testid="composer" autoComplete="off" value={text} maxLength={4000} disabled={closed}
          placeholder={archived ? "This room is archived" : muted ? "You are muted" : `Message ${roomName}`}
          aria-label={`Message ${roomName}`} aria-describedby={note} onInput={(e) => input(e.currentTarget.value)} />
        <button type="submit" data-testid="send" disabled={closed || wait > 0 || uploading || (!text.trim() && ready.length === 0)}>Send</button>
      </form>
    </>
  );
}
