import { useEffect, useState } from "preact/hooks";
import { SwitchboardError, type TokenSource } from "../lib";
import { devModeOn, devTokens } from "./session";

const USER_ID = /^[A-Za-z0-9:_-]{1,128}$/;

/** Dev mode: a name that mints a development token. Otherwise: paste a token. */
export function Login({ onToken, invited, offline }: {
  onToken: (token: TokenSource, remember?: string) => Promise<void>; invited: boolean; offline: boolean;
}) {
  /** undefined: not known yet; null: the gateway could not be asked (asked again when the network is back). */
  const [dev, setDev] = useState<boolean | null | undefined>(undefined);
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!offline && !dev) void devModeOn().then(setDev);
  }, [offline]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const input = value.trim();
    if (dev && !USER_ID.test(input)) return setError("Letters, digits, ':', '_' and '-' only.");
    setBusy(true);
    setError("");
    try {
      await onToken(dev ? devTokens(input) : input, dev ? input : undefined);
    } catch (err) {
      setError(err instanceof SwitchboardError ? `${err.code}: ${err.message}` : String(err));
      setBusy(false);
    }
  };

  if (dev == null) return <div class="login"><h1>Switchboard</h1><p>{dev === null || offline ? "Waiting for the network…" : "Connecting…"}</p></div>;
  return (
    <form class="login" onSubmit={submit} data-testid="login">
      <h1>Switchboard</h1>
      {invited && <p class="muted" data-testid="invite-hint">You were invited to a room: sign in to join it.</p>}
      {dev ? (
        <label>Your name <small>(development mode: any name signs you in)</small>
          <input name="user" autoFocus autoComplete="username" value={value} placeholder="alice"
            onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
      ) : (
        <label>Access token
          <textarea name="token" rows={4} value={value} placeholder="eyJhbGciOi…"
            onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
      )}
      <button type="submit" disabled={busy || !value.trim()}>Sign in</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
