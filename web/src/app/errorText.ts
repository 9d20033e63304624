import { SwitchboardError } from "../lib";
import { formatSeconds, formatTime, formatWait } from "./when";

/** What each error code of the contract means to the person who clicked, and what they can do. */
const TEXT: Record<string, string> = {
  LAST_OWNER: "You own this room: make another member the owner first (Make owner), then you can leave.",
  MEMBER_LIMIT: "The room is full: it has as many members as a room may have.",
  FORBIDDEN: "You are not allowed to do that in this room.",
  NOT_FOUND: "Not found: the room or that member is not there (any more).",
  SLOW_MODE: "The room is in slow mode: wait before sending again.",
  BLOCKED: "A block stands between you and that user (one of you blocked the other): no direct room between you two.",
  ROOM_ARCHIVED: "The room is archived: it is read-only until an owner or admin unarchives it.",
  UPLOAD_TOO_LARGE: "The file is larger than this server accepts.",
  UNSUPPORTED_TYPE: "Files of that type cannot be attached here (by default: PNG, JPEG, GIF and WebP images, PDF, plain text).",
  VALIDATION_ERROR: "That was not accepted",
  RATE_LIMITED: "Too many requests at once: try again in a moment.",
  TIMEOUT: "The server did not answer in time: try again.",
  DISCONNECTED: "Not connected to the server: try again once the connection is back.",
  UNAVAILABLE: "The server could not do it right now: try again in a moment.",
  INTERNAL: "The server failed to do it: try again in a moment.",
};

/**
 * A readable sentence for a failed request, ending with the contract's code: `overrides` gives
 * sentences of the action's own for some codes (an invitation's NOT_FOUND is not a room's).
 */
export function errorText(e: unknown, overrides: Record<string, string> = {}): string {
  if (!(e instanceof SwitchboardError)) return String(e instanceof Error ? e.message : e);
  const code: string = e.code;
  let text = overrides[code] ?? sendRefusal(e) ?? TEXT[code] ?? e.message;
  if (code === "VALIDATION_ERROR" && !overrides[code]) {
    const details = e.details?.map((d) => `${d.field}: ${d.message}`).join("; ");
    text = `${text}: ${details || e.message}`;
  }
  return `${text} (${code})`;
}

/** Why a message (a send or an edit) was refused by the room's moderation, in words; undefined for other refusals. */
export function sendRefusal(e: SwitchboardError): string | undefined {
  if (e.code === "FORBIDDEN" && e.mutedUntil) return `You are muted in this room until ${formatTime(new Date(e.mutedUntil))}.`;
  if (e.code === "SLOW_MODE") {
    const every = e.slowMode ? `one message every ${formatSeconds(e.slowMode)}` : "a message now and then";
    return `Slow mode allows ${every}: wait ${formatWait(e.retryAfterMs ?? 1000)} before sending again.`;
  }
  return undefined;
}
