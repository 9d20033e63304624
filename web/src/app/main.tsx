/// <reference types="vite/client" />
import { render } from "preact";
import { App } from "./App";
import "./app.css";

render(<App />, document.getElementById("app")!);

// The app shell offline (public/sw.js). Not in `vite dev`, whose modules are not the build's.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
