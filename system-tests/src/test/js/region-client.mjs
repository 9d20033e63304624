// One user of one region, driven by the Java test (RegionsIT) over stdin, with the official client.
// Usage: node region-client.mjs <gateway url> <JWT secret> <user>
// Reads JSON lines {id, event, payload} and sends each as a request with an ack; prints JSON lines:
// {phase: "ready"}, {phase: "reply", id, ack, sentAt, ms} (ack is {error: "..."} when none came in
// time), and {phase: "event", name, payload, at} for each message event the socket receives. Times
// are this machine's clock (Date.now()), so the test compares those of two clients.
import { createInterface } from "node:readline";
import { connect, tokens } from "./lib.mjs";

const [url, jwtSecret, user] = process.argv.slice(2);
const print = (obj) => console.log(JSON.stringify(obj));
const socket = await connect(url, await tokens(url, jwtSecret)(user));
for (const name of ["room-message-created", "room-message-confirmed", "room-message-failed"]) {
  socket.on(name, (payload) => print({ phase: "event", name, payload, at: Date.now() }));
}
print({ phase: "ready" });

createInterface({ input: process.stdin }).on("line", async (line) => {
  if (!line.trim()) return;
  const { id, event, payload } = JSON.parse(line);
  const sentAt = Date.now();
  let ack;
  try {
    ack = await socket.timeout(30_000).emitWithAck(event, payload);
  } catch (err) {
    ack = { error: String(err.message ?? err) };
  }
  print({ phase: "reply", id, ack, sentAt, ms: Date.now() - sentAt });
}).on("close", () => {
  socket.close();
  process.exit(0);
});
