// A misbehaving client, in its own process: floods a room with sends and typing events as fast as it
// can write them, until the server cuts it off. Prints what it was told, as JSON.
// Usage: node flooder.mjs <gateway url> <token> <roomId>
import { randomUUID } from "node:crypto";
import { connect, request } from "./lib.mjs";

const [url, token, roomId] = process.argv.slice(2);
const flooder = await connect(url, token);
await request(flooder, "join-room", { roomId });
const answers = { ok: 0, limited: 0, other: 0 };
let retryAfterMs = null;
let flooding = true;
const gone = new Promise((resolve) => flooder.once("disconnect", (reason) => { flooding = false; resolve(reason); }));
process.stdout.write("flooding\n");
for (let i = 0; i < 20000 && flooding; i++) {
  flooder.emit("typing", { roomId, isTyping: true });
  flooder.emit("send-message", { roomId, clientMsgId: randomUUID(), body: `spam ${i}` }, (ack) => {
    if (ack.ok) answers.ok++;
    else if (ack.error.code === "RATE_LIMITED") { answers.limited++; retryAfterMs ??= ack.error.retryAfterMs; }
    else answers.other++;
  });
  if (i % 100 === 0) await new Promise((r) => setImmediate(r));
}
const reason = await gone;
console.log(JSON.stringify({ answers, retryAfterMs, reason }));
process.exit(0);
