import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { SwitchboardClient } from "../../src/lib";
import { ADMIN_TOKEN, connected, unique, URL } from "../support/gateway";
import { launch, screenshot } from "./browser";

/** The credentials the gateway under test was started with (ADMIN_UI_USERNAME, and the password of ADMIN_UI_PASSWORD_HASH). */
const USER = process.env.SWITCHBOARD_ADMIN_UI_USER ?? "";
const PASSWORD = process.env.SWITCHBOARD_ADMIN_UI_PASSWORD ?? "";
const TIMEOUT = 15_000;

/** The official Admin UI's built web app, as the npm package ships it. */
const UI = join(dirname(createRequire(import.meta.url).resolve("@socket.io/admin-ui/package.json")), "ui", "dist");
const TYPES: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
  ".map": "application/json",
};

let server: Server;
let uiUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let chat: SwitchboardClient;
let roomId: string;
const problems: string[] = [];

/** Serves ui/dist as any static file server would: the UI is on its own origin, the gateway on another. */
function serveUi(): Promise<string> {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new globalThis.URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(UI, path);
    if (!file.startsWith(UI) || !existsSync(file) || statSync(file).isDirectory()) file = join(UI, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** The UI's connection form: server URL, user name, password, then Connect. */
async function logIn(password: string): Promise<void> {
  await page.getByLabel("Server URL").fill(URL);
  await page.getByLabel("Username").fill(USER);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Connect" }).click();
}

beforeAll(async () => {
  uiUrl = await serveUi();
  chat = await connected(unique("watched"), "adminui-tests");
  const { room } = await chat.request("create-room", { name: unique("watched-room"), kind: "public" });
  roomId = room.id;
  await chat.joinRoom(roomId);
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The UI's index.html links web fonts and icons from CDNs; this machine reaches none, and the UI works without them.
  const local = new Set([uiUrl, new globalThis.URL(URL).origin]);
  await context.route("**/*", (route) =>
    local.has(new globalThis.URL(route.request().url()).origin) ? route.continue() : route.abort());
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${uiUrl}/`);
});

afterAll(async () => {
  chat?.close();
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("the official Socket.IO Admin UI", () => {
  it("refuses a wrong password, logs in with the right one, and lists a chat socket with its room", async () => {
    expect(USER, "SWITCHBOARD_ADMIN_UI_USER and _PASSWORD must be set: the gateway under test needs ADMIN_UI_ENABLED").not.toBe("");

    await logIn("not-the-password");
    await page.getByText("Invalid credentials").waitFor({ timeout: TIMEOUT });

    await logIn(PASSWORD);
    await page.getByText("Connection", { exact: true }).waitFor({ state: "hidden", timeout: TIMEOUT });
    // The Servers page lists this gateway under its node id (the one the admin API names it by).
    const nodes = await fetch(`${URL}/admin/nodes`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { nodes: [{ node }] } = await nodes.json() as { nodes: { node: string }[] };
    await page.goto(`${uiUrl}/#/servers`);
    await page.getByText(node, { exact: true }).waitFor({ timeout: TIMEOUT });
    await screenshot(page, "adminui-servers.png");

    await page.goto(`${uiUrl}/#/sockets`);
    const socketId = chat.socket.id;
    expect(socketId).toBeTruthy();
    await page.getByText(socketId!, { exact: true }).first().waitFor({ timeout: TIMEOUT });

    await page.goto(`${uiUrl}/#/rooms`);
    await page.getByText(`room:${roomId}`, { exact: true }).first().waitFor({ timeout: TIMEOUT });
    await screenshot(page, "adminui-rooms.png");
    expect(problems).toEqual([]);
  });
});
