import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Attachment } from "../lib";
import { keepFocusIn } from "./focus";
import type { ChatStore } from "./store";
import type { LineAttachment } from "./timeline";

/** A file's size as people read it: 812 B, 14.2 KB, 3.1 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Drawn, not an emoji: a page's fonts may have none (the browser tests' Chromium has one font). */
export function PaperclipIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7l9-9a3.5 3.5 0 0 1 5 5l-9 9a2 2 0 0 1-3-3l8.5-8.5" fill="none"
        stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

function FileIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5M9 13h6M9 17h6" fill="none"
        stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

/** How large a thumbnail shows at most, in CSS pixels. */
const BOX = { width: 240, height: 180 };

/**
 * A message's files: an image with a thumbnail shows it (its bytes fetched with the user's token
 * into an object URL; a click opens the whole image), any other file is a download link with its
 * name and size. Another member's optimistic copy names its files by id only: they show once durable.
 */
export function Attachments({ store, files }: { store: ChatStore; files: LineAttachment[] }) {
  const [viewing, setViewing] = useState<Attachment | null>(null);
  return (
    <div class="attachments" data-testid="attachments">
      {files.map((f) => !f.name ? (
        <span key={f.id} class="attachment-file muted" data-testid="attachment-pending">a file, on its way…</span>
      ) : f.thumbnail ? (
        <Thumbnail key={f.id} store={store} file={f as Attachment} onOpen={() => setViewing(f as Attachment)} />
      ) : (
        <a key={f.id} class="attachment-file" data-testid="attachment-file" href={`/api/attachments/${encodeURIComponent(f.id)}`}
          download={f.name} onClick={(e) => {
            // The gateway wants the token as a bearer, which a plain link cannot send.
            e.preventDefault();
            void store.download(f as Attachment);
          }}>
          <FileIcon />{f.name} <span class="muted">({formatSize(f.size ?? 0)})</span>
        </a>
      ))}
      {viewing && <ImageViewer store={store} file={viewing} onClose={() => setViewing(null)} />}
    </div>
  );
}

function Thumbnail({ store, file, onOpen }: { store: ChatStore; file: Attachment; onOpen: () => void }) {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    store.thumbnailUrl(file.id).then((url) => live && setSrc(url), () => live && setFailed(true));
    return () => void (live = false);
  }, [file.id]);
  const { width = BOX.width, height = BOX.height } = file;
  const scale = Math.min(1, BOX.width / width, BOX.height / height);
  const shown = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const dimensions = file.width && file.height ? `${file.width} × ${file.height}` : "";
  return (
    <figure class="attachment-image" data-testid="attachment-image" data-name={file.name} data-width={file.width ?? ""}
      data-height={file.height ?? ""}>
      <button type="button" class="thumbnail" style={shown} aria-label={`Open the image ${file.name}`} onClick={onOpen}>
        {src ? <img src={src} alt="" width={shown.width} height={shown.height} data-testid="thumbnail" />
          : <span class="muted">{failed ? "image unavailable" : "loading…"}</span>}
      </button>
      <figcaption class="muted">
        {file.name}{dimensions && <span data-testid="attachment-dimensions"> · {dimensions}</span>} · {formatSize(file.size)}
      </figcaption>
    </figure>
  );
}

/** The whole image over the page; Escape or Close gives the focus back to its thumbnail. */
function ImageViewer({ store, file, onClose }: { store: ChatStore; file: Attachment; onClose: () => void }) {
  const [src, setSrc] = useState<string>();
  const [error, setError] = useState<string>();
  const close = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => opener?.isConnected && opener.focus();
  }, []);
  useEffect(() => {
    let url: string | undefined;
    let live = true;
    store.attachmentUrl(file.id).then((u) => {
      url = u;
      if (live) setSrc(u);
      else URL.revokeObjectURL(u);
    }, () => live && setError("The image could not be loaded."));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id]);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()} onKeyDown={(e) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      onClose();
    }}>
      <div class="dialog image-viewer" role="dialog" aria-modal="true" aria-labelledby="image-viewer-title" onKeyDown={keepFocusIn}
        data-testid="image-viewer">
        <div class="image-viewer-head">
          <h2 id="image-viewer-title">{file.name}</h2>
          <button type="button" ref={close} data-testid="image-viewer-close" onClick={onClose}>Close</button>
        </div>
        {src ? <img src={src} alt={file.name} data-testid="full-image" width={file.width} height={file.height} />
          : <p class={error ? "error" : "muted"}>{error ?? "loading…"}</p>}
      </div>
    </div>
  );
}
