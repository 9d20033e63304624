export { SwitchboardClient } from "./client";
export type { ClientOptions, ClientEvents, ConnectionState } from "./client";
export { SwitchboardError } from "./errors";
export type { OutgoingMessage, OutgoingState, SendOptions } from "./outbox";
export type { CatchUp } from "./rooms";
export { tokenExpiry } from "./token";
export type { TokenSource } from "./token";
export { uuid } from "./ids";
export * from "./types";
