// One socket floods a room while two users chat in it. Prints the chatters' latencies before and
// during the flood, what the flooder was told, and how it ended, as JSON.
// Usage: node flood-scenario.mjs <gateway url>
import { spawn } from "node:child_process";
import { chatters, quantile, tokens, until } from "./lib.mjs";

const [url] = process.argv.slice(2);
const token = tokens(url);
const { alice, bob, room, chat } = await chatters(url, "busy");

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
