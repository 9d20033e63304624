// Call signaling across two gateways, driven by the official socket.io-client.
// Usage: node calls-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice is on A; Bob has a phone on B and a laptop on A; Carol is on B. The gateways run with a ring
// timeout of 2 s. Prints one JSON object with what each socket observed; the Java test asserts on it.
import { randomUUID } from "node:crypto";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [urlA, urlB, jwtSecret] = process.argv.slice(2);
const token = tokens(urlA, jwtSecret);
const run = randomUUID().slice(0, 8);
const id = (name) => `${name}-${run}`;
const on = async (url, name) => connect(url, await token(id(name)));

const alice = await on(urlA, "alice");
const bobPhone = await on(urlB, "bob");
const bobLaptop = await on(urlA, "bob");
const carol = await on(urlB, "carol");
const out = {};
const ofCall = (callId) => (e) => e.callId === callId;

const direct = async (socket, other) => {
  const { room } = await request(socket, "create-room", { name: "direct", kind: "direct", members: [id(other)] });
  await request(socket, "join-room", { roomId: room.id });
  return room.id;
};
const aliceAndBob = await direct(alice, "bob");
const carolAndBob = await direct(carol, "bob");
const media = ["audio", "video"];

// 1. Alice (A) calls Bob: both his devices ring, on both gateways; his phone (B) answers.
let rings = [waitFor(bobPhone, "call-ring"), waitFor(bobLaptop, "call-ring")];
out.start = await request(alice, "call-start", { roomId: aliceAndBob, media });
const callId = out.start.callId;
out.rings = await Promise.all(rings);
const accepted = [alice, bobLaptop].map((s) => waitFor(s, "call-accepted", ofCall(callId)));
out.accept = await request(bobPhone, "call-accept", { callId });
out.accepted = await Promise.all(accepted);
out.laptopAccept = await request(bobLaptop, "call-accept", { callId });

// Offer, answer and ICE candidates, each relayed to the other party's socket across the gateways.
const offer = waitFor(bobPhone, "call-signal", ofCall(callId));
out.offerAck = await request(alice, "call-signal", { callId, toSocketId: bobPhone.id, type: "offer", payload: { type: "offer", sdp: "v=0 offer" } });
out.offer = await offer;
const answer = waitFor(alice, "call-signal", (e) => e.type === "answer");
await request(bobPhone, "call-signal", { callId, toSocketId: alice.id, type: "answer", payload: { type: "answer", sdp: "v=0 answer" } });
out.answer = await answer;
const ice = waitFor(alice, "call-signal", (e) => e.type === "ice");
await request(bobPhone, "call-signal", { callId, toSocketId: alice.id, type: "ice", payload: { candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host", sdpMid: "0" } });
out.ice = await ice;
const laptopSignals = [];
bobLaptop.on("call-signal", (e) => laptopSignals.push(e));
// Refused: a socket not in the call, as sender or as target.
out.toLaptop = await request(alice, "call-signal", { callId, toSocketId: bobLaptop.id, type: "ice", payload: { candidate: "x" } });
out.fromLaptop = await request(bobLaptop, "call-signal", { callId, toSocketId: alice.id, type: "ice", payload: { candidate: "x" } });
out.fromCarol = await request(carol, "call-signal", { callId, toSocketId: alice.id, type: "ice", payload: { candidate: "x" } });

// 2. Busy: Bob is in a call, so Carol's call to him is refused.
out.busy = await request(carol, "call-start", { roomId: carolAndBob, media: ["audio"] });

// 3. Bob hangs up: everyone in the call hears the end, on both gateways.
let ended = [alice, bobPhone, bobLaptop].map((s) => waitFor(s, "call-ended", ofCall(callId)));
out.hangup = await request(bobPhone, "call-hangup", { callId });
out.ended = await Promise.all(ended);
await request(bobLaptop, "list-rooms", {});
out.laptopSignals = laptopSignals.length;

// 4. Decline: Carol (B) calls Bob; his laptop (A) declines.
rings = waitFor(bobLaptop, "call-ring");
const declineCall = (await request(carol, "call-start", { roomId: carolAndBob, media: ["audio"] })).callId;
await rings;
const declined = waitFor(carol, "call-declined", ofCall(declineCall));
const declineEnded = waitFor(carol, "call-ended", ofCall(declineCall));
out.decline = await request(bobLaptop, "call-decline", { callId: declineCall });
out.declined = await declined;
out.declineEnded = await declineEnded;

// 5. Timeout: Alice calls, nobody answers within the ring timeout.
const timeoutCall = (await request(alice, "call-start", { roomId: aliceAndBob, media: ["audio"] })).callId;
out.timeoutEnded = await Promise.all([alice, bobPhone].map((s) => waitFor(s, "call-ended", ofCall(timeoutCall))));

// 6. Disconnect: Alice (A) calls, Bob's phone (B) answers, then drops: Alice's call ends.
rings = waitFor(bobPhone, "call-ring");
const dropCall = (await request(alice, "call-start", { roomId: aliceAndBob, media: ["audio", "screen"] })).callId;
await rings;
await request(bobPhone, "call-accept", { callId: dropCall });
const dropped = waitFor(alice, "call-ended", ofCall(dropCall));
bobPhone.close();
out.dropped = await dropped;

for (const s of [alice, bobLaptop, carol]) s.close();
console.log(JSON.stringify(out));
