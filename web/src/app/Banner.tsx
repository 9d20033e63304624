import type { ChatState, ChatStore } from "./store";

const TEXT: Record<string, string> = {
  connecting: "Connecting…",
  reconnecting: "Connection lost. Reconnecting…",
  offline: "You are offline. Messages you send will go out when the network is back.",
  recovering: "Reconnected. Catching up…",
};

/** Shown while the connection is not ready: why, and what happens to what the user does meanwhile. */
export function Banner({ store, state }: { store: ChatStore; state: ChatState }) {
  if (state.connection === "connected") return null;
  if (state.connection === "disconnected") {
    // A session whose token expired (and could not be renewed) needs a new sign-in, not a reconnect.
    const expired = state.reason === "TOKEN_EXPIRED" || state.reason === "AUTH_FAILED";
    return (
      <div class="banner banner-down" role="status" data-testid="banner" data-state="disconnected">
        Disconnected{state.reason ? ` (${state.reason})` : ""}.{" "}
        {expired
          ? <button type="button" onClick={() => { sessionStorage.clear(); location.reload(); }}>Sign in again</button>
          : <button type="button" onClick={() => store.client.reconnect()}>Reconnect</button>}
      </div>
    );
  }
  return (
    <div class="banner" role="status" data-testid="banner" data-state={state.connection}>
      {TEXT[state.connection]}
    </div>
  );
}
