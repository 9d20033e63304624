import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The example against a running Switchboard: `npm run example:react` in web/ serves it on
// http://localhost:5173 and forwards the socket and /dev/token to SWITCHBOARD_URL, so the page and
// the gateway share an origin (as when the gateway or a proxy serves an app).
const gateway = process.env.SWITCHBOARD_URL ?? "http://127.0.0.1:3000";
const proxy = { "/socket.io": { target: gateway, ws: true }, "/dev": { target: gateway } };
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  // Inside this repository the packages come from their sources; an application installs them
  // (`npm install @switchboard/react @switchboard/client socket.io-client react react-dom`).
  resolve: {
    alias: {
      "@switchboard/react": here("../../react/src/index.ts"),
      "@switchboard/client": here("../../src/lib/index.ts"),
    },
    dedupe: ["react", "react-dom"],
  },
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  server: { proxy },
  preview: { proxy },
  build: { outDir: here("../../target/examples/react-chat"), emptyOutDir: true },
});
