// Web Push from a page (docs/protocol.md, "Web Push"; docs/client.md): subscribe the page's service
// worker with the server's VAPID key and register the subscription, or undo both. The service worker
// shows what arrives (web/public/sw.js has the `push` and `notificationclick` handlers).
import type { SwitchboardClient } from "./client.js";

/** The part of a `ServiceWorkerRegistration` these functions use (a real one fits). */
export interface PushRegistration {
  pushManager: {
    getSubscription(): Promise<PushSubscriptionLike | null>;
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<PushSubscriptionLike>;
  };
}

/** The part of a `PushSubscription` used here. */
export interface PushSubscriptionLike {
  endpoint: string;
  toJSON(): unknown;
  unsubscribe(): Promise<boolean>;
}

/** Whether this browser can be pushed to at all (service workers, the Push API, notifications). */
export function pushSupported(): boolean {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof PushManager !== "undefined"
    && typeof Notification !== "undefined";
}

/** A base64url string (a VAPID key) as the bytes `applicationServerKey` takes. */
export function base64UrlBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(value.length / 4) * 4, "=");
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Subscribes the registration with the server's key (a subscription made with another key is
 * replaced) and registers it for the signed-in user. Ask `Notification.requestPermission()` first,
 * from a user's click. Fails `UNAVAILABLE` when the server has push off.
 */
export async function enablePush(client: SwitchboardClient, registration: PushRegistration): Promise<PushSubscriptionLike> {
  const key = base64UrlBytes(await client.pushKey());
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await client.registerPush(subscription);
  return subscription;
}

/** Unregisters this browser's subscription for the user and unsubscribes it; false when there was none. */
export async function disablePush(client: SwitchboardClient, registration: PushRegistration): Promise<boolean> {
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return false;
  await client.unregisterPush(subscription.endpoint);
  return subscription.unsubscribe();
}

function sameKey(subscription: PushSubscriptionLike, key: Uint8Array<ArrayBuffer>): boolean {
  const options = (subscription as { options?: { applicationServerKey?: ArrayBuffer | null } }).options;
  const current = options?.applicationServerKey;
  if (!current) return true; // Not told: keep it (the server answers with the key it has).
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}
