import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { SwitchboardClient } from "../../src/lib";
import { ADMIN_TOKEN, connected, unique, URL } from "../support/gateway";
import { axeViolations, launch, open, screenshot, type WatchedPage } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
let console_: WatchedPage;
let sender: SwitchboardClient;
let listener: SwitchboardClient;
let roomId: string;
let sending: ReturnType<typeof setInterval> | undefined;

const numberIn = (testId: string) => console_.page.locator(`[data-testid=${testId}]`).textContent().then(Number);

beforeAll(async () => {
  browser = await launch();
  sender = await connected(unique("scripted"), "console-tests");
  const { room } = await sender.request("create-room", { name: unique("load"), kind: "public" });
  roomId = room.id;
  await sender.joinRoom(roomId);
  // A second member, so that each message is delivered to someone and delivery latency is measured.
  listener = await connected(unique("listener"), "console-tests");
  await listener.joinRoom(roomId);
});

afterAll(async () => {
  clearInterval(sending);
  sender?.close();
  listener?.close();
  await browser?.close();
});

describe("the operator console", () => {
  it("with the admin token, shows a non-zero connection count and a rising message count while a scripted client sends", async () => {
    expect(ADMIN_TOKEN, "SWITCHBOARD_ADMIN_TOKEN must be set: the gateway shows its figures to the operator only").not.toBe("");
    console_ = await open(browser, "/console");
    await console_.page.fill("input[name=admin-token]", ADMIN_TOKEN);
    await console_.page.click(".token button[type=submit]");
    await console_.page.waitForFunction(() => Number(document.querySelector("[data-testid=connections]")?.textContent) >= 2,
      null, { timeout: TIMEOUT });
    const before = await numberIn("messages-total");
    let n = 0;
    sending = setInterval(() => void sender.sendMessage(roomId, `load ${++n}`).result.catch(() => {}), 150);
    await console_.page.waitForFunction((min) => Number(document.querySelector("[data-testid=messages-total]")?.textContent) >= min,
      before + 5, { timeout: TIMEOUT });
    await console_.page.waitForFunction(() => Number(document.querySelector("[data-testid=messages-per-second]")?.textContent) > 0,
      null, { timeout: TIMEOUT });
    expect(await numberIn("messages-total")).toBeGreaterThan(before);
    expect(await console_.page.locator("[data-testid=chart-messages] polyline").getAttribute("points")).toContain(",");
  });

  it("lists the cluster's nodes and the busiest rooms, the scripted client's among them", async () => {
    await console_.page.waitForSelector("[data-testid=nodes] tbody tr", { timeout: TIMEOUT });
    await console_.page.waitForSelector(`[data-testid=busiest-rooms] td:has-text("${roomId}")`, { timeout: TIMEOUT });
  });

  it("disconnects a user's sockets from the actions panel", async () => {
    const victim = await connected(unique("kicked"), "console-tests");
    const gone = new Promise<string>((resolve) => victim.onClient("state", (s) => s.state === "disconnected" && resolve(s.reason ?? "")));
    await console_.page.fill("[data-testid=disconnect-form] input[name=user-id]", victim.userId!);
    await console_.page.fill("[data-testid=disconnect-form] input[name=tenant]", "console-tests");
    await console_.page.click("[data-testid=disconnect-form] button[type=submit]");
    await console_.page.waitForSelector("[data-testid=action-result]:has-text('Disconnected 1 socket')", { timeout: TIMEOUT });
    expect(await gone).toBe("io server disconnect");
    victim.close();
    // For the README: once the charts hold ten seconds of samples.
    await console_.page.waitForFunction(() =>
      (document.querySelector("[data-testid=chart-messages] polyline")?.getAttribute("points") ?? "").split(" ").length >= 10,
    null, { timeout: TIMEOUT });
    expect(await axeViolations(console_.page)).toEqual([]);
    await screenshot(console_.page, "console.png");
  });

  it("logged no console error (a Content-Security-Policy violation, a failed request) and threw nothing", () => {
    expect(console_.problems).toEqual([]);
  });
});

describe("how the gateway serves the pages", () => {
  it("pages are revalidated, hashed assets cached as immutable, all under a CSP without inline code or eval", async () => {
    const page = await fetch(`${URL}/`);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = html.match(/\/assets\/[^"]+\.js/)![0];
    const res = await fetch(`${URL}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const consolePage = await fetch(`${URL}/console`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get("cache-control")).toBe("no-cache");
    expect(await consolePage.text()).toContain("Switchboard console");
  });
});
