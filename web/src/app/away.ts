import type { SwitchboardClient } from "../lib";

/** Idle this long (no key, pointer, wheel or touch) and the user is away, as when the page is hidden. */
export const IDLE_MS = 5 * 60_000;

const ACTIVITY = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

/**
 * Tells presence when the user is away from this page (docs/protocol.md, "Presence"): `set-status
 * away` when the page is hidden or idle for `idleMs`, `online` when it is visible and used again.
 * Only changes are sent; the client library says away again after a reconnect. Returns a stop function.
 */
export function watchAway(client: SwitchboardClient, idleMs = IDLE_MS): () => void {
  let away = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const say = (now: boolean) => {
    if (now === away) return;
    away = now;
    // Best effort: a request lost in a drop is said again by the library on reconnect (away) or
    // was true anyway (a new connection is active).
    client.setStatus(now ? "away" : "online").catch(() => {});
  };
  const idleSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => say(true), idleMs);
  };
  const active = () => {
    if (document.visibilityState !== "visible") return;
    say(false);
    idleSoon();
  };
  const visibility = () => {
    if (document.visibilityState === "hidden") {
      clearTimeout(timer);
      say(true);
    } else {
      active();
    }
  };
  // Pointer moves come by the hundred: after the first, the idle timer restarts at most once a second.
  let last = 0;
  const input = () => {
    const now = Date.now();
    if (!away && now - last < 1000) return;
    last = now;
    active();
  };
  document.addEventListener("visibilitychange", visibility);
  ACTIVITY.forEach((e) => window.addEventListener(e, input, { passive: true }));
  if (document.visibilityState === "hidden") say(true);
  else idleSoon();
  return () => {
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", visibility);
    ACTIVITY.forEach((e) => window.removeEventListener(e, input));
  };
}
