// Two users chat while unauthenticated peers attack the gateway (preauth-attacker.mjs, in its own
// process so that it competes for the server, not for these clients). Prints the chatters' latencies
// before and during the attack, what the attackers met, and the gateway's sessions once it is over,
// as JSON.
// Usage: node preauth-scenario.mjs <gateway url> <gateway ops url>
import { spawn } from "node:child_process";
import { chatters, quantile, until } from "./lib.mjs";

const [url, opsUrl] = process.argv.slice(2);
const { alice, bob, room, chat } = await chatters(url, "under-attack");
const sessions = async () => (await (await fetch(`${opsUrl}/socket-metrics`)).json()).connections.sessions;

const baseline = await chat(20);

const child = spawn(process.execPath, [new URL("./preauth-attacker.mjs", import.meta.url).pathname, url]);
let output = "";
child.stdout.on("data", (d) => { output += d; });
child.stderr.on("data", (d) => process.stderr.write(d));
const attackerDone = new Promise((resolve) => child.on("exit", resolve));
await until(() => output.includes("attacking"));
const during = await chat(25);
await attackerDone;
const attack = JSON.parse(output.trim().split("\n").pop());
// Every attacking session is closed by now: only the two chatters' are left.
let sessionsAfter = await sessions();
try {
  await until(async () => (sessionsAfter = await sessions()) === 2);
} catch {
  // reported as it is
}

console.log(JSON.stringify({
  baselineMedian: quantile(baseline, 0.5), duringMedian: quantile(during, 0.5), during: during.map(Math.round),
  delivered: baseline.length + during.length, attack, sessionsAfter,
}));
for (const s of [alice, bob]) s.disconnect();
process.exit(0);
