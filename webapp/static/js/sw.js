// Kring's service worker: keeps the app shell and an offline page on the phone.
// Pages with personal data are never stored here; only the shell is.
const VERSION = "kring-shell-v1";
const SHELL = [
  "/offline",
  "/static/css/kring.css",
  "/static/js/app.js",
  "/static/js/quick-exit.js",
  "/static/js/exit-guard.js",
  "/static/icons/kring.svg",
  "/static/icons/kring-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }
  if (new URL(request.url).pathname.startsWith("/static/")) {
    // Stale while revalidate: fast on a slow network, fresh on the next load.
    event.respondWith(caches.open(VERSION).then(async (cache) => {
      const cached = await cache.match(request);
      const network = fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }).catch(() => cached);
      return cached || network;
    }));
  }
});
