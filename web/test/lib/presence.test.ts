// Presence with the away status through the client library, against the running gateway
// (docs/protocol.md, "Presence").
import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, type ServerEvents } from "../../src/lib";
import { connected, dropConnection, next, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function device(user: string): Promise<SwitchboardClient> {
  const client = await connected(user);
  clients.push(client);
  return client;
}

describe("Away, against the running gateway", () => {
  it("a user is away once every device is, with awaySince, and online again when one is back; get-presence lists the away", async () => {
    const bobId = unique("bob");
    const alice = await device(unique("alice"));
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bobId] });
    await alice.joinRoom(room.id);
    const statuses: ServerEvents["user-status-changed"][] = [];
    alice.on("user-status-changed", (e) => e.userId === bobId && statuses.push(e));
    const [phone, laptop] = [await device(bobId), await device(bobId)];
    await phone.joinRoom(room.id);
    await laptop.joinRoom(room.id);
    await expect.poll(async () => (await alice.getPresence(room.id)).online.includes(bobId), { timeout: 10_000 }).toBe(true);

    await phone.setStatus("away");
    const oneAway = await alice.getPresence(room.id);
    expect(oneAway.away).toEqual([]);

    await laptop.setStatus("away");
    await expect.poll(() => statuses.map((s) => s.status), { timeout: 10_000 }).toContain("away");
    const away = statuses.find((s) => s.status === "away")!;
    expect(new Date(away.awaySince!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const bothAway = await alice.getPresence(room.id);
    expect(bothAway.online).toContain(bobId);
    expect(bothAway.away).toEqual([bobId]);

    await phone.setStatus("online");
    await expect.poll(() => statuses.at(-1)?.status, { timeout: 10_000 }).toBe("online");
    expect((await alice.getPresence(room.id)).away).toEqual([]);
    await expect(phone.request("set-status", { status: "busy" } as never)).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
  });

  it("a client that said away says it again after a reconnect: a new connection starts active", async () => {
    const bobId = unique("bob");
    const alice = await device(unique("alice"));
    const { room } = await alice.request("create-room", { name: unique("team"), kind: "group", members: [bobId] });
    await alice.joinRoom(room.id);
    const statuses: string[] = [];
    alice.on("user-status-changed", (e) => e.userId === bobId && statuses.push(e.status));
    const bob = await device(bobId);
    await bob.joinRoom(room.id);
    await bob.setStatus("away");
    // His first connection's online went to bob's own room only: he had joined no room yet.
    await expect.poll(() => statuses, { timeout: 10_000 }).toEqual(["away"]);

    const link = dropConnection(bob);
    await expect.poll(() => statuses.at(-1), { timeout: 10_000 }).toBe("offline");
    const back = next(bob, "state", (s) => s.state === "connected");
    link.restore({ recoverable: false });
    await back;
    await expect.poll(() => statuses.slice(2), { timeout: 10_000 }).toEqual(["online", "away"]);
    expect((await alice.getPresence(room.id)).away).toEqual([bobId]);
  });
});
