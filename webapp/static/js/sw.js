// Kring's service worker: keeps the app shell and an offline page on the phone, and sends the safety-log
// entries written without a connection (the outbox) when it returns.
// Pages with personal data are never stored here; only the shell is.
importScripts("/static/js/outbox-core.js");

const VERSION = "kring-shell-v2";
const SHELL = [
  "/offline",
  "/static/css/kring.css",
  "/static/js/app.js",
  "/static/js/quick-exit.js",
  "/static/js/exit-guard.js",
  "/static/js/log-outbox.js",
  "/static/js/outbox-core.js",
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

const COMPOSER = /^\/h\/\d+\/log\/new$/;

// The phone said it was online, but the entry could not be sent: keep it in the outbox rather than lose
// it, and go back to the composer (the offline page while there is no connection, which shows the count).
async function sendOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch {
    await kringOutbox.put(kringOutbox.entryFrom(request.url, await copy.formData()));
    tellPages();
    return Response.redirect(request.url, 303);
  }
}

function tellPages() {
  self.clients.matchAll({ type: "window" }).then((pages) => pages.forEach((p) => p.postMessage(kringOutbox.TAG)));
}

self.addEventListener("sync", (event) => {
  if (event.tag !== kringOutbox.TAG) return;
  event.waitUntil(kringOutbox.flush().then((counts) => {
    tellPages();
    // Still waiting (no connection, or signed out): fail, so that the browser tries again later.
    if (counts.waiting) throw new Error("entries still waiting");
  }));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "POST" && request.mode === "navigate" && url.origin === location.origin
      && COMPOSER.test(url.pathname)) {
    event.respondWith(sendOrKeep(request));
    return;
  }
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
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
