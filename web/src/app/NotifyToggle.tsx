import { useEffect, useState } from "preact/hooks";
import { disablePush, enablePush, pushSupported, SwitchboardError } from "../lib";
import type { ChatStore } from "./store";

/**
 * "Notify me": Web Push for this browser (docs/client.md, "Web Push"). Turning it on asks the
 * browser's permission, subscribes the service worker with the server's key and registers the
 * subscription; turning it off undoes both. Shown only where the browser can be pushed to.
 */
export function NotifyToggle({ store }: { store: ChatStore }) {
  const [on, setOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const supported = pushSupported();

  // On already (a subscription of this browser): registered again, as the user may have changed.
  useEffect(() => {
    if (!supported || Notification.permission !== "granted") return;
    void navigator.serviceWorker.getRegistration().then(async (registration) => {
      if (!registration || !(await registration.pushManager.getSubscription())) return;
      await enablePush(store.client, registration);
      setOn(true);
    }).catch(() => {});
  }, []);

  if (!supported) return null;

  const toggle = async (wanted: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const registration = await navigator.serviceWorker.getRegistration();
      if (!registration) throw new Error("Notifications need the installed app (its service worker is not running).");
      if (wanted) {
        if (await Notification.requestPermission() !== "granted") throw new Error("The browser did not allow notifications.");
        await enablePush(store.client, registration);
      } else {
        await disablePush(store.client, registration);
      }
      setOn(wanted);
    } catch (e) {
      setProblem(e instanceof SwitchboardError && e.code === "UNAVAILABLE"
        ? "This server does not send notifications." : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="notify">
      <label>
        <input type="checkbox" data-testid="notify-me" checked={on} disabled={busy}
          onChange={(e) => void toggle((e.currentTarget as HTMLInputElement).checked)} />
        Notify me <span class="muted small-text">(mentions, direct messages)</span>
      </label>
      <p class="muted small-text" role="status" data-testid="notify-problem">{problem ?? ""}</p>
    </div>
  );
}
