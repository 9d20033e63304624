// search-messages latency, one query after the other over one socket, as loadtest/bench/search-latency.sh seeds.
// Usage: node search-latency.mjs <url> <runs per query>   (NODE_PATH: a folder with socket.io-client)
import { createRequire } from "node:module";

const require = createRequire(process.env.NODE_PATH + "/");
const { io } = require("socket.io-client");
const [url, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 30);

const token = (await (await fetch(`${url}/dev/token?user=reader&tenant=bench`)).json()).token;
const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false });
await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
const ask = (payload) => socket.timeout(30_000).emitWithAck("search-messages", payload);

const queries = [
  ["a rare word (w4000)", { query: "w4000" }],
  ["a planted word, 10 messages (needle)", { query: "needle" }],
  ["a common word (w50)", { query: "w50" }],
  ["the commonest word (w0)", { query: "w0" }],
  ["two words (w50 w51)", { query: "w50 w51" }],
  ["a phrase (\"w1 w2\")", { query: "\"w1 w2\"" }],
  ["one room (w50, roomId)", { query: "w50", roomId: "room-1" }],
];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
console.log("| Query | Hits on the first page | p50 ms | p95 ms | max ms |");
console.log("| --- | --- | --- | --- | --- |");
for (const [name, payload] of queries) {
  const times = [];
  let hits = 0;
  await ask(payload); // the first run plans the statement and reads the index into memory
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const ack = await ask(payload);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!ack.ok) {
      console.log(`| ${name} | ${ack.error.code}: ${ack.error.message} | | | |`);
      break;
    }
    hits = ack.results.length;
  }
  if (times.length < runs) continue;
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${hits} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${times[times.length - 1].toFixed(1)} |`);
}
socket.close();
