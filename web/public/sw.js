// The chat app's service worker: it keeps the app shell (the page at /, its hashed assets, the manifest
// and icons) so that the app opens without a network and shows its offline banner instead of the
// browser's error page. Pages are asked of the network first (a new build shows at once) and come
// from the cache only when the network fails; hashed assets never change, so the cache answers them.
// (manifest.json: the gateway serves it as application/json.) Nothing else is touched: Socket.IO, /dev/*, /admin/*, /api/* and the console go to the network as ever.
const CACHE = "switchboard-shell-v1";
const SHELL = ["/", "/manifest.json", "/favicon.svg", "/icons/icon-192.png", "/icons/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch("/", { cache: "no-cache" });
    // The page names its hashed scripts and styles: kept with it.
    const assets = [...new Set((await page.clone().text()).match(/\/assets\/[\w.-]+/g) ?? [])];
    await cache.put("/", page);
    await cache.addAll([...SHELL.slice(1), ...assets]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html")) {
    event.respondWith(fromNetworkThenCache(request, "/"));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(fromCacheThenNetwork(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(fromNetworkThenCache(request, url.pathname));
  }
});

async function fromNetworkThenCache(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(key, response.clone());
      if (key === "/") await keepAssetsOf(cache, await response.clone().text());
    }
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** A new build's page names new hashed assets: the ones no longer named leave the cache. */
async function keepAssetsOf(cache, html) {
  const named = new Set(html.match(/\/assets\/[\w.-]+/g) ?? []);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/assets/") && !named.has(path)) await cache.delete(request);
  }
}

// Web Push (docs/protocol.md, "Web Push"): the server pushes offline mentions and direct messages as
// JSON { type, roomId, messageId, title, body }. Shown as a notification (one per room: a newer
// one replaces it); a click focuses an open app and asks it to open the room, or opens the app there.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = data.type === "mention" ? `${data.title ?? "Someone"} mentioned you` : data.title ?? "Switchboard";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body ?? "",
    tag: data.roomId ? `room:${data.roomId}` : undefined,
    renotify: Boolean(data.roomId),
    icon: "/icons/icon-192.png",
    data: { roomId: data.roomId },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const roomId = event.notification.data?.roomId;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
    if (open) {
      await open.focus();
      if (roomId) open.postMessage({ type: "open-room", roomId });
      return;
    }
    await self.clients.openWindow(roomId ? `/#room=${encodeURIComponent(roomId)}` : "/");
  })());
});
