import {
  SwitchboardClient, SwitchboardError, type ClientOptions, type OutgoingMessage, type SendAck, type SendOptions,
} from "@switchboard/client";
import {
  createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode,
} from "react";
import { storeOf, type ClientStore, type ConnectionView, type RoomView, type TimelineView } from "./store.js";

const Context = createContext<ClientStore | null>(null);

export type SwitchboardProviderProps =
  | {
    /** A client the application made (and connects, and closes). */
    client: SwitchboardClient;
    options?: never;
    fallback?: never;
    children?: ReactNode;
  }
  | {
    /** Options of a client the provider makes, connects when mounted and closes when unmounted. */
    options: ClientOptions;
    client?: never;
    /** Shown until that client exists (the first render). */
    fallback?: ReactNode;
    children?: ReactNode;
  };

/**
 * Gives the hooks below it a Switchboard client: the one passed as `client`, or one made from
 * `options` (connected on mount, closed on unmount; a refused connection shows in `useConnectionState`
 * as `disconnected` with its `error`). The hooks of one client share its rooms: a room is joined once
 * however many components use it.
 */
export function SwitchboardProvider(props: SwitchboardProviderProps): ReactNode {
  const [own, setOwn] = useState<ClientStore | null>(null);
  const options = props.options;
  useEffect(() => {
    if (!options) return;
    // Made in the effect, not while rendering: React may render without committing, and StrictMode
    // mounts twice; each mount gets its own client and closes it.
    const client = new SwitchboardClient(options);
    const store = storeOf(client);
    setOwn(store);
    client.connect().catch((e) => {
      store.connectFailed(e instanceof SwitchboardError ? e : SwitchboardError.of("UNAVAILABLE", String(e)));
    });
    return () => {
      client.close();
      setOwn(null);
    };
    // The options of the first render: a provider makes one client (remount it with a `key` for another).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const store = props.client ? storeOf(props.client) : own;
  if (!store) return props.fallback ?? null;
  return createElement(Context.Provider, { value: store }, props.children);
}

function useStore(): ClientStore {
  const store = useContext(Context);
  if (!store) throw new Error("Switchboard hooks need a <SwitchboardProvider> above them");
  return store;
}

/** The client, for every request of the contract (`request`, `joinRoom`, `upload`, ...). */
export function useSwitchboard(): SwitchboardClient {
  return useStore().client;
}

/**
 * The connection's state: `connecting`, `connected`, `recovering` (back after a drop, catching up),
 * `reconnecting`, `offline` (the browser has no network) or `disconnected` (closed, or refused:
 * `error`), with the reason of the last change.
 */
export function useConnectionState(): ConnectionView {
  const { connection } = useStore();
  return useSyncExternalStore(connection.subscribe, connection.get, connection.get);
}

function useRoomStore(roomId: string) {
  const room = useStore().room(roomId);
  useEffect(() => room.start(), [room]);
  return room;
}

/**
 * Joins the room (once per client, kept joined across reconnects) and tells how that went:
 * `joining`, `joined` with the join's answer (`ack.lastSeq`, `ack.members`, `ack.online`,
 * `ack.mutedUntil`, ...), or `failed` with its `error` (`NOT_FOUND`, `FORBIDDEN`, ...; also when the
 * room is deleted or this user removed or banned from it while joined).
 */
export function useRoom(roomId: string): RoomView {
  const { room } = useRoomStore(roomId);
  return useSyncExternalStore(room.subscribe, room.get, room.get);
}

export interface MessagesView extends TimelineView {
  /**
   * Sends a message: it is in `messages` at once as `pending`, then `sent` with its seq, or `failed`.
   * Dropped connections and RATE_LIMITED are retried with the same clientMsgId (stored once).
   */
  send: (body: string, options?: SendOptions) => { message: OutgoingMessage; result: Promise<SendAck> };
  /** Sends a `failed` message of this user again, with its clientMsgId. */
  retry: (clientMsgId: string) => Promise<SendAck>;
  /** Fetches the page before the oldest message shown; resolves false when there was nothing to fetch. */
  loadOlder: () => Promise<boolean>;
}

/**
 * The room's messages in seq order, those not durable yet last: the latest page of history once
 * joined, older pages with `loadOlder`, the messages of other members as they come (their optimistic
 * copies at once, then confirmed), this user's own through `send`, what was missed during a drop.
 * `pageSize`: messages per history page (default 50; the first view of the room that asks sets it).
 */
export function useMessages(roomId: string, options: { pageSize?: number } = {}): MessagesView {
  const room = useRoomStore(roomId);
  const { pageSize } = options;
  useEffect(() => room.watchTimeline(pageSize), [room, pageSize]);
  const view = useSyncExternalStore(room.timeline.subscribe, room.timeline.get, room.timeline.get);
  const send = useCallback((body: string, o?: SendOptions) => room.send(body, o), [room]);
  const retry = useCallback((id: string) => room.retry(id), [room]);
  const loadOlder = useCallback(() => room.loadOlder(), [room]);
  return useMemo(() => ({ ...view, send, retry, loadOlder }), [view, send, retry, loadOlder]);
}

export interface TypingView {
  /** The other users typing in the room now, by user id. */
  typing: readonly string[];
  /** Call at each keystroke: the room hears that this user types, refreshed while they go on, ended after 3 s idle. */
  notifyTyping: () => void;
  /** The user stopped (cleared the field, sent: `send` does it too). */
  stopTyping: () => void;
}

export function useTyping(roomId: string): TypingView {
  const room = useRoomStore(roomId);
  const typing = useSyncExternalStore(room.typing.subscribe, room.typing.get, room.typing.get);
  const notifyTyping = useCallback(() => room.notifyTyping(), [room]);
  const stopTyping = useCallback(() => room.stopTyping(), [room]);
  return useMemo(() => ({ typing, notifyTyping, stopTyping }), [typing, notifyTyping, stopTyping]);
}

/**
 * Who is online in the room (user ids, sorted): `get-presence` once joined, asked again when a user's
 * status changes and after a reconnect. Empty while presence is unavailable.
 */
export function usePresence(roomId: string): readonly string[] {
  const room = useRoomStore(roomId);
  useEffect(() => room.watchPresence(), [room]);
  return useSyncExternalStore(room.online.subscribe, room.online.get, room.online.get);
}

export interface UnreadView {
  /**
   * Messages after this user's read position, as the server counts them (`join-room`'s `unread`),
   * kept up as messages arrive; this user's own message counts as read when all before it was.
   */
  unread: number;
  /** Marks all messages seen read, on every device of the user (`mark-read`). */
  markRead: () => Promise<void>;
}

export function useUnread(roomId: string): UnreadView {
  const room = useRoomStore(roomId);
  const unread = useSyncExternalStore(room.unread.subscribe, room.unread.get, room.unread.get);
  const markRead = useCallback(() => room.markRead(), [room]);
  return useMemo(() => ({ unread, markRead }), [unread, markRead]);
}
