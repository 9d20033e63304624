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
  // An invitation link (`/#invite=<token>`) is accepted once the user is signed in.
  const [invite, setInvite] = useState(inviteInAddress);

  const signIn = async (token: TokenSource, remember?: string) => {
    const s = await startSession(token);
    if (remember) sessionStorage.setItem(REMEMBERED, remember);
    setStore(s);
  };

  // A reload in the same tab signs the same development user in again.
  useEffect(() => {
    const user = sessionStorage.getItem(REMEMBERED);
    if (user) signIn(devTokens(user)).catch(() => sessionStorage.removeItem(REMEMBERED)).finally(() => setResuming(false));
  }, []);

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
  if (resuming) return <div class="login"><p>Signing in…</p></div>;
  return <Login onToken={signIn} invited={invite != null} />;
}
