// Web Push through the client library, against the running gateway (docs/protocol.md, "Web Push").
// The browser's push manager is played here (Chromium headless has no push service): a real P-256
// key and auth secret, as a browser would make, so the server checks and stores a real subscription.
// Delivery itself is message-service's WebPushTest (a push service served by the test).
import { createECDH, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { base64UrlBytes, disablePush, enablePush, SwitchboardClient, type PushRegistration, type PushSubscriptionLike } from "../../src/lib";
import { connected, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function user(name: string): Promise<SwitchboardClient> {
  const client = await connected(unique(name));
  clients.push(client);
  return client;
}

/** What a browser's PushSubscription gives: an endpoint of its push service and its keys. */
function subscription(key: Uint8Array, log: string[]): PushSubscriptionLike & { options: { applicationServerKey: ArrayBuffer } } {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const endpoint = `https://push.example.com/send/${unique("sub")}`;
  return {
    endpoint,
    options: { applicationServerKey: key.slice().buffer },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey("base64url"), auth: randomBytes(16).toString("base64url") } }),
    unsubscribe: async () => { log.push(`unsubscribe ${endpoint}`); return true; },
  };
}

/** A service worker registration's push manager, as a browser keeps it. */
function registration(log: string[]): PushRegistration & { current: PushSubscriptionLike | null } {
  const reg = {
    current: null as PushSubscriptionLike | null,
    pushManager: {
      getSubscription: async () => reg.current,
      subscribe: async (options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }) => {
        log.push(`subscribe userVisibleOnly=${options.userVisibleOnly}`);
        reg.current = subscription(options.applicationServerKey, log);
        return reg.current;
      },
    },
  };
  return reg;
}

describe("Web Push, against the running gateway", () => {
  it("enablePush subscribes with the server's VAPID key and registers; disablePush unregisters and unsubscribes", async () => {
    const bob = await user("bob");
    const key = await bob.pushKey();
    expect(base64UrlBytes(key)).toHaveLength(65);
    expect(base64UrlBytes(key)[0]).toBe(4);

    const log: string[] = [];
    const reg = registration(log);
    const sub = await enablePush(bob, reg);
    expect(log).toEqual(["subscribe userVisibleOnly=true"]);
    expect([...new Uint8Array((sub as unknown as { options: { applicationServerKey: ArrayBuffer } }).options.applicationServerKey)])
      .toEqual([...base64UrlBytes(key)]);
    // Enabled again (the next visit): the same subscription, registered again, none made.
    expect(await enablePush(bob, reg)).toBe(sub);
    expect(log).toHaveLength(1);

    expect(await disablePush(bob, reg)).toBe(true);
    expect(log[1]).toBe(`unsubscribe ${sub.endpoint}`);
    // The server had it: unregistering it again finds nothing.
    expect(await bob.unregisterPush(sub.endpoint)).toEqual({ removed: false });
  });

  it("a subscription made with another key is replaced; only its user removes a subscription", async () => {
    const [bob, eve] = [await user("bob"), await user("eve")];
    const log: string[] = [];
    const reg = registration(log);
    reg.current = subscription(new Uint8Array(65).fill(7), log);
    const stale = reg.current.endpoint;
    const sub = await enablePush(bob, reg);
    expect(log).toEqual([`unsubscribe ${stale}`, "subscribe userVisibleOnly=true"]);
    expect(await eve.unregisterPush(sub.endpoint)).toEqual({ removed: false });
    expect(await bob.unregisterPush(sub.endpoint)).toEqual({ removed: true });
  });

  it("a bad subscription is refused with its field", async () => {
    const bob = await user("bob");
    const good = subscription(new Uint8Array(65), []).toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
    await expect(bob.registerPush({ ...good, keys: { ...good.keys, auth: Buffer.alloc(8).toString("base64url") } }))
      .rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    await expect(bob.registerPush({ ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 4).toString("base64url") } }))
      .rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    await expect(bob.registerPush({ ...good, endpoint: "ftp://push.example.com/x" }))
      .rejects.toMatchObject({ code: "VALIDATION_ERROR", details: [{ field: "endpoint" }] });
  });
});
