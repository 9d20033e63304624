// One socket floods a room while two users chat in it. Prints the chatters' latencies before and
// during the flood, what the flooder was told, and how it ended, as JSON.
// Usage: node flood-scenario.mjs <gateway url>
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { connect, request, tokens, until, waitFor } from "./lib.mjs";

const [url] = process.argv.slice(2);
const token = tokens(url);
const alice = await connect(url, await token("alice"));
const bob = await connect(url, await token("bob"));
const room = (await request(alice, "create-room", { name: "busy", kind: "public" })).room;
for (const s of [alice, bob]) await request(s, "join-room", { roomId: room.id });

/**
 * Alice chats at a human pace (a message every 120 ms, within her rate limit); the latency is until
 * Bob sees each optimistic copy.
 */
async function chat(n) {
  const latencies = [];
  for (let i = 0; i < n; i++) {
    const clientMsgId = randomUUID();
    const seen = waitFor(bob, "room-message-created", (p) => p.new.tempId === clientMsgId);
    const start = performance.now();
    const ack = await request(alice, "send-message", { roomId: room.id, clientMsgId, body: `hello ${i}` });
    if (!ack.ok) throw new Error(`alice was refused: ${JSON.stringify(ack)}`);
    await seen;
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 120));
  }
  return latencies;
}
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

const baseline = await chat(25);

// The flood, from another process so that it competes for the server, not for this client.
const child = spawn(process.execPath, [new URL("./flooder.mjs", import.meta.url).pathname, url, await token("mallory"), room.id]);
let output = "";
child.stdout.on("data", (d) => { output += d; });
child.stderr.on("data", (d) => process.stderr.write(d));
const flooderDone = new Promise((resolve) => child.on("exit", resolve));
await until(() => output.includes("flooding"));
const during = await chat(25);
await flooderDone;
const flood = JSON.parse(output.trim().split("\n").pop());

console.log(JSON.stringify({
  baseline: baseline.map(Math.round), during: during.map(Math.round),
  baselineMedian: quantile(baseline, 0.5), duringMedian: quantile(during, 0.5), delivered: baseline.length + during.length,
  answers: flood.answers, retryAfterMs: flood.retryAfterMs, flooderReason: flood.reason,
}));
for (const s of [alice, bob]) s.disconnect();
process.exit(0);
