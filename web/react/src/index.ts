export {
  SwitchboardProvider, useConnectionState, useMessages, usePresence, useRoom, useSwitchboard, useTyping, useUnread,
} from "./hooks.js";
export type { MessagesView, SwitchboardProviderProps, TypingView, UnreadView } from "./hooks.js";
export type { ConnectionView, RoomView, TimelineView } from "./store.js";
export type { MessageEntry } from "./timeline.js";
// What an application needs of the client beside the hooks, so that it imports one package.
export { SwitchboardClient, SwitchboardError } from "@switchboard/client";
export type { ClientOptions, ConnectionState, JoinAck, OutgoingMessage, SendAck, SendOptions } from "@switchboard/client";
