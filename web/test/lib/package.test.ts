// @switchboard/client as an application gets it: `npm pack` of web/client, installed into an empty
// project beside socket.io-client, imported by plain Node (ES modules) and type-checked by TypeScript
// as a Node project would; then it chats with the running gateway.
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
