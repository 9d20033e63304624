import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { desktopConfig, navigation, type Config } from "lighthouse";
import puppeteer, { type Browser as PuppeteerBrowser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { connected, unique, URL } from "../support/gateway";
import { chromiumBinary } from "../e2e/browser";

/**
 * Lighthouse on the chat view, as a user finds it after a reload: signed in, a room open with
 * messages. Not part of the e2e project (WebAppIT): scores move with the machine's load. Run it with
 * `npm run lighthouse` against a running gateway (SWITCHBOARD_URL); the scores go to docs/benchmarks.md.
 * Lighthouse's defaults: a mobile screen, simulated slow 4G and a 4x slower CPU.
 */
const PORT = 9333;
const CATEGORIES = ["performance", "accessibility", "best-practices"];
const OUT = join(process.cwd(), "target", "lighthouse");
let browser: Browser;
let remote: PuppeteerBrowser;

beforeAll(async () => {
  const { executablePath, env } = await chromiumBinary();
  browser = await chromium.launch({
    executablePath, env, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic", `--remote-debugging-port=${PORT}`],
  });
  remote = await puppeteer.connect({ browserURL: `http://127.0.0.1:${PORT}`, defaultViewport: null });
}, 60_000);

afterAll(async () => {
  await remote?.disconnect();
  await browser?.close();
});

/** The tab, signed in: it remembers who (sessionStorage), so the reloads Lighthouse measures show the chat view. */
let page: Page;

async function signedIn(): Promise<Page> {
  // A room with a conversation in it, as the user's first room.
  const user = unique("lena");
  const friend = await connected(unique("friend"), "default");
  const { room } = await friend.request("create-room", { name: unique("lighthouse"), kind: "group", members: [user] });
  await friend.joinRoom(room.id);
  for (let i = 1; i <= 20; i++) await friend.sendMessage(room.id, `message ${i} of the conversation`).result;
  friend.close();

  const p = await remote.newPage();
  await p.goto(`${URL}/`);
  await p.waitForSelector("input[name=user]");
  await p.type("input[name=user]", user);
  await p.click("button[type=submit]");
  await p.waitForSelector("[data-testid=me]");
  return p;
}

/** Lighthouse's scores (0 to 100) on a reload of the chat view; the report goes to target/lighthouse/chat-<name>.json. */
async function scores(name: string, config?: Config): Promise<Record<string, number>> {
  page ??= await signedIn();
  const result = await navigation(page, `${URL}/`, { config, flags: { disableStorageReset: true, onlyCategories: CATEGORIES } });
  const lhr = result!.lhr;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `chat-${name}.json`), JSON.stringify(lhr, null, 1));
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));
  const metrics = Object.fromEntries(["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
    "cumulative-layout-shift", "speed-index"].map((a) => [a, lhr.audits[a].displayValue]));
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
    .map((a) => `${a.id}: ${a.score}`);
  console.log(JSON.stringify({ name, scores, metrics, failing }, null, 1));
  return scores;
}

it("on a phone (Lighthouse's default: a 412 px screen, slow 4G, a 4x slower CPU), the chat view scores at least 95 for performance, accessibility and best practices", async () => {
  const s = await scores("mobile");
  for (const c of CATEGORIES) expect(s[c], c).toBeGreaterThanOrEqual(95);
}, 180_000);

it("on a desktop (Lighthouse's desktop preset), with the room open beside the list, too", async () => {
  const s = await scores("desktop", desktopConfig);
  for (const c of CATEGORIES) expect(s[c], c).toBeGreaterThanOrEqual(95);
}, 180_000);
