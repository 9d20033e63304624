// @switchboard/client as an application gets it: `npm pack` of web/client, installed into an empty
// project beside socket.io-client, imported by plain Node (ES modules) and type-checked by TypeScript
// as a Node project would; then it chats with the running gateway. @switchboard/react likewise:
// packed, installed with the client's tarball and React, imported by Node and type-checked in a TSX
// component as a React project would.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TENANT, URL, unique } from "../support/gateway";

const WEB = fileURLToPath(new globalThis.URL("../../", import.meta.url));
const app = mkdtempSync(join(tmpdir(), "switchboard-client-app-"));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });

describe("@switchboard/client, packed and installed", () => {
  it("npm pack yields a tarball of the built library with its types, README and changelog only", () => {
    run("npm", ["run", "build:client"], WEB);
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", app], join(WEB, "client")))[0];
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(packed.name).toBe("@switchboard/client");
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toEqual(expect.arrayContaining(["README.md", "CHANGELOG.md", "package.json"]));
    expect(files.every((f) => f.startsWith("dist/") || ["README.md", "CHANGELOG.md", "package.json"].includes(f))).toBe(true);
  });

  it("an empty Node project installs it, imports it, type-checks against it and chats with it", () => {
    const tarball = readdirSync(app).find((f) => f.endsWith(".tgz"))!;
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${tarball}`, "socket.io-client@4.8.1"], app);
    writeFileSync(join(app, "chat.ts"), `
import { SwitchboardClient, SwitchboardError, type ChatMessage } from "@switchboard/client";
const url = process.argv[2], user = process.argv[3], tenant = process.argv[4];
const token = async () => (await (await fetch(url + "/dev/token?user=" + user + "&tenant=" + tenant)).json()).token as string;
const client = new SwitchboardClient({ url, token, transports: ["websocket"] });
await client.connect();
const { room } = await client.request("create-room", { name: "from a package", kind: "group" });
await client.joinRoom(room.id);
const ack = await client.sendMessage(room.id, "hello from an installed package").result;
const history: ChatMessage[] = (await client.fetchHistory({ roomId: room.id })).messages;
const refused = await client.request("join-room", { roomId: "no-such-room" }).then(() => "", (e: SwitchboardError) => e.code);
console.log(JSON.stringify({ seq: ack.seq, bodies: history.map((m) => m.body), refused }));
client.close();
`);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "out",
        lib: ["ES2022", "DOM"], skipLibCheck: false, types: ["node"], typeRoots: [join(WEB, "node_modules", "@types")] },
      files: ["chat.ts"],
    }));
    try {
      run(join(WEB, "node_modules", ".bin", "tsc"), ["-p", "."], app);
    } catch (e) {
      throw new Error(`the program does not type-check against the package: ${(e as { stdout?: string }).stdout}`);
    }
    const out = JSON.parse(run("node", ["out/chat.js", URL, unique("packaged"), TENANT], app));
    expect(out).toEqual({ seq: 1, bodies: ["hello from an installed package"], refused: "NOT_FOUND" });
  });
});

describe("@switchboard/react, packed and installed", () => {
  const reactApp = mkdtempSync(join(tmpdir(), "switchboard-react-app-"));
  afterAll(() => rmSync(reactApp, { recursive: true, force: true }));

  it("npm pack yields a tarball of the built bindings with their types, README and changelog only", () => {
    run("npm", ["run", "build:client"], WEB);
    run(join(WEB, "node_modules", ".bin", "tsc"), ["-p", "react/tsconfig.json"], WEB);
    run("npm", ["pack", "--pack-destination", reactApp], join(WEB, "client"));
    const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", reactApp], join(WEB, "react")))[0];
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(packed.name).toBe("@switchboard/react");
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/hooks.js", "README.md", "CHANGELOG.md"]));
    expect(files.every((f) => f.startsWith("dist/") || ["README.md", "CHANGELOG.md", "package.json"].includes(f))).toBe(true);
  });

  it("a React project installs both tarballs, Node imports the hooks, and a component type-checks against them", () => {
    const tarballs = readdirSync(reactApp).filter((f) => f.endsWith(".tgz"));
    const client = tarballs.find((f) => f.startsWith("switchboard-client-"))!;
    const react = tarballs.find((f) => f.startsWith("switchboard-react-"))!;
    // The bindings depend on @switchboard/client, which no registry has: the override points it at the tarball.
    writeFileSync(join(reactApp, "package.json"), JSON.stringify({
      name: "react-app", private: true, type: "module",
      dependencies: { "@switchboard/client": `file:./${client}` },
      overrides: { "@switchboard/client": "$@switchboard/client" },
    }));
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${react}`, "socket.io-client@4.8.1", "react@19",
      "@types/react@19"], reactApp);
    const exported = JSON.parse(run("node", ["--input-type=module", "-e",
      "const m = await import('@switchboard/react'); console.log(JSON.stringify(Object.keys(m).sort()))"], reactApp));
    expect(exported).toEqual([
      "SwitchboardClient", "SwitchboardError", "SwitchboardProvider", "useConnectionState", "useMessages", "usePresence", "useRoom",
      "useSwitchboard", "useTyping", "useUnread",
    ]);
    writeFileSync(join(reactApp, "Chat.tsx"), `
import { SwitchboardProvider, useConnectionState, useMessages, usePresence, useTyping, useUnread, type MessageEntry } from "@switchboard/react";
function Room({ roomId }: { roomId: string }) {
  const { messages, hasMore, loadOlder, send } = useMessages(roomId, { pageSize: 20 });
  const { typing, notifyTyping } = useTyping(roomId);
  const online: readonly string[] = usePresence(roomId);
  const { unread, markRead } = useUnread(roomId);
  const { state } = useConnectionState();
  const line = (m: MessageEntry) => <li key={m.key} data-status={m.status}>{m.senderName}: {m.body} {m.seq ?? ""}</li>;
  return (
    <section onClick={() => void markRead()} data-state={state}>
      {hasMore && <button onClick={() => void loadOlder()}>older</button>}
      <ol>{messages.map(line)}</ol>
      <p>{typing.join(", ")} {online.length} {unread}</p>
      <input onChange={notifyTyping} onKeyDown={(e) => e.key === "Enter" && send(e.currentTarget.value)} />
    </section>
  );
}
export const App = () => (
  <SwitchboardProvider options={{ url: "http://localhost:3000", token: "a token" }} fallback={<p>…</p>}>
    <Room roomId="general" />
  </SwitchboardProvider>
);
`);
    writeFileSync(join(reactApp, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
        jsx: "react-jsx", lib: ["ES2022", "DOM"], skipLibCheck: false, types: [] },
      files: ["Chat.tsx"],
    }));
    try {
      run(join(WEB, "node_modules", ".bin", "tsc"), ["-p", "."], reactApp);
    } catch (e) {
      throw new Error(`the component does not type-check against the packages: ${(e as { stdout?: string }).stdout}`);
    }
  });
});
