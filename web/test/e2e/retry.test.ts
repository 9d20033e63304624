import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { unique, URL } from "../support/gateway";
import { launch } from "./browser";

const TIMEOUT = 15_000;
let browser: Browser;
let page: Page;

/**
 * Passes the page's Socket.IO traffic through, but turns the ack of the first `send-message` into
 * PERSIST_FAILED: the message was stored, the sender was told it was not (a lost or late answer).
 */
function failFirstSendAck(ws: WebSocketRoute): void {
  const server = ws.connectToServer();
  let sendAckId: string | null = null;
  let failed = false;
  ws.onMessage((frame) => {
    const m = typeof frame === "string" ? frame.match(/^42(\d+)\["send-message"/) : null;
    if (m && !failed && sendAckId === null) sendAckId = m[1];
    server.send(frame);
  });
  server.onMessage((frame) => {
    if (!failed && sendAckId !== null && typeof frame === "string" && frame.startsWith(`43${sendAckId}[`)) {
      failed = true;
      ws.send(`43${sendAckId}[{"ok":false,"error":{"code":"PERSIST_FAILED","message":"the message could not be made durable"}}]`);
      return;
    }
    ws.send(frame);
  });
}

beforeAll(async () => {
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1180, height: 720 } });
  page = await context.newPage();
  await page.routeWebSocket(/\/socket\.io\//, failFirstSendAck);
  await page.goto(`${URL}/`);
  await page.fill("input[name=user]", unique("carol"));
  await page.click("button[type=submit]");
  await page.fill("input[name=room-name]", unique("flaky"));
  await page.click("[data-testid=new-room] button[type=submit]");
  await page.waitForSelector("[data-testid=composer]");
});

afterAll(async () => {
  await browser?.close();
});

describe("a send the server reports failed", () => {
  it("shows as not sent with a Retry button; Retry sends the same clientMsgId and the message shows once, with its seq", async () => {
    await page.fill("[data-testid=composer]", "are you there?");
    await page.click("[data-testid=send]");
    const failed = page.locator("[data-testid=message][data-status=failed]");
    await failed.waitFor({ timeout: TIMEOUT });
    expect(await failed.locator("[data-testid=message-state]").textContent()).toContain("not sent");

    await failed.locator("[data-testid=retry]").click();
    await page.waitForSelector("[data-testid=message][data-status=sent][data-seq='1']", { timeout: TIMEOUT });
    expect(await page.locator("[data-testid=message-body]").allTextContents()).toEqual(["are you there?"]);
  });
});
