import { afterEach, describe, expect, it } from "vitest";
import { SwitchboardClient, SwitchboardError, type ServerEvents } from "../../src/lib";
import { connected, unique } from "../support/gateway";

const clients: SwitchboardClient[] = [];
async function user(name: string) {
  const c = await connected(name);
  clients.push(c);
  return c;
}
afterEach(() => clients.splice(0).forEach((c) => c.close()));

function event<E extends keyof ServerEvents>(client: SwitchboardClient, name: E): Promise<ServerEvents[E]> {
  return new Promise((resolve) => {
    const off = client.on(name, (payload) => {
      off();
      resolve(payload);
    });
  });
}

describe("calls with the client library", () => {
  it("rings, answers, relays an offer to the socket that answered, hangs up; a busy callee is refused", async () => {
    const [aliceId, bobId] = [unique("alice"), unique("bob")];
    const [alice, bob] = [await user(aliceId), await user(bobId)];
    const { room } = await alice.request("create-room", { name: "direct", kind: "direct", members: [bobId] });
    await alice.joinRoom(room.id);

    const ring = event(bob, "call-ring");
    const started = await alice.startCall(room.id, ["audio", "video"]);
    expect(started.ringing).toEqual([bobId]);
    expect((await ring).from).toBe(aliceId);
    expect((await ring).fromSocketId).toBe(alice.socketId);

    const accepted = event(alice, "call-accepted");
    const answer = await bob.acceptCall(started.callId);
    expect(answer.parties).toEqual([{ userId: aliceId, socketId: alice.socketId }]);
    expect((await accepted).socketId).toBe(bob.socketId);

    const offer = event(bob, "call-signal");
    await alice.signalCall(started.callId, bob.socketId!, "offer", { type: "offer", sdp: "v=0" });
    expect(await offer).toMatchObject({ fromUserId: aliceId, fromSocketId: alice.socketId, type: "offer", payload: { sdp: "v=0" } });

    const refused = await alice.startCall(room.id, ["audio"]).catch((e) => e);
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect(refused.code).toBe("BUSY");

    const ended = event(alice, "call-ended");
    await bob.hangupCall(started.callId);
    expect((await ended).reason).toBe("hangup");
    await bob.hangupCall(started.callId); // over already: no failure
  });
});
