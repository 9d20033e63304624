import { useEffect, useReducer, useState } from "preact/hooks";
import type { ChatState, ChatStore } from "./store";

/** The store's state; the calling component renders again at every change. */
export function useStore(store: ChatStore): ChatState {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump(0)), [store]);
  return store.state;
}

/**
 * The time now, renewed at each whole second before `deadline` (epoch ms) and at it, so that a
 * countdown ticks and what ends then (a mute, a slow mode wait) ends on screen by itself. null:
 * nothing to wait for.
 */
export function useNow(deadline: number | null): number {
  const [, setNow] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const left = deadline == null ? 0 : deadline - Date.now();
      if (left <= 0) return;
      timer = setTimeout(() => {
        setNow(Date.now());
        tick();
      }, left % 1000 || 1000);
    };
    tick();
    return () => clearTimeout(timer);
  }, [deadline]);
  return Date.now();
}

/** Below this width the room list and the open room are two views, one at a time (app.css says the same). */
export const NARROW = "(max-width: 760px)";

/** Whether the CSS media query matches now; the component renders again when that changes. */
export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const changed = () => setMatches(list.matches);
    changed();
    list.addEventListener("change", changed);
    return () => list.removeEventListener("change", changed);
  }, [query]);
  return matches;
}
