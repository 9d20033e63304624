import { useEffect, useState } from "preact/hooks";
import type { TokenSource } from "../lib";
import { Chat } from "./Chat";
import { Login } from "./Login";
import { clearInviteFromAddress, inviteInAddress } from "./roomChanges";
import { devTokens, startSession } from "./session";
import type { ChatStore } from "./store";

const REMEMBERED = "switchboard.user";

export function App() {
  const [store, setStore] = useState<ChatStore | null>(null);
  const [resuming, setResuming] = useState(() => sessionStorage.getItem(REMEMBERED) != null);
  const offline = useOffline();
  // An invitation link (`/#invite=<token>`) is accepted once the user is signed in.
  const [invite, setInvite] = useState(inviteInAddress);

  const signIn = async (token: TokenSource, remember?: string) => {
    const s = await startSession(token);
    if (remember) sessionStorage.setItem(REMEMBERED, remember);
    setStore(s);
  };

  // A reload in the same tab signs the same development user in again; offline (the service worker
  // served the page), once the network is back.
  useEffect(() => {
    const user = sessionStorage.getItem(REMEMBERED);
    if (!user || offline || store) return;
    signIn(devTokens(user)).catch(() => navigator.onLine && sessionStorage.removeItem(REMEMBERED)).finally(() => setResuming(false));
  }, [offline]);

  // A link pasted into the address bar of a signed-in tab changes only the hash.
  useEffect(() => {
    const changed = () => setInvite(inviteInAddress());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);

  useEffect(() => {
    if (!store || !invite) return;
    clearInviteFromAddress();
    setInvite(null);
    void store.changes.acceptInvite(invite);
  }, [store, invite]);

  if (store) return <Chat store={store} />;
  return (
    <>
      {offline && (
        <div class="banner" role="status" data-testid="banner" data-state="offline">
          You are offline. Switchboard signs you in when the network is back.
        </div>
      )}
      {resuming ? (
        // The chat's frame already, so that nothing moves when the rooms come.
        <div class="chat view-room" aria-busy="true">
          <div class="sidebar" />
          <main class="room"><h1 class="empty">Signing in…</h1></main>
        </div>
      ) : (
        <main><Login onToken={signIn} invited={invite != null} offline={offline} /></main>
      )}
    </>
  );
}

/** Whether the browser says it has no network. */
function useOffline(): boolean {
  const [offline, setOffline] = useState(() => !navigator.onLine);
  useEffect(() => {
    const changed = () => setOffline(!navigator.onLine);
    window.addEventListener("online", changed);
    window.addEventListener("offline", changed);
    return () => {
      window.removeEventListener("online", changed);
      window.removeEventListener("offline", changed);
    };
  }, []);
  return offline;
}
