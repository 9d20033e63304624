import { useEffect, useReducer } from "preact/hooks";
import type { ChatState, ChatStore } from "./store";

/** The store's state; the calling component renders again at every change. */
export function useStore(store: ChatStore): ChatState {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => store.subscribe(() => bump(0)), [store]);
  return store.state;
}
