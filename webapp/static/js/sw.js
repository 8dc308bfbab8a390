// Kring's service worker: keeps the app shell and an offline page on the phone, sends what was written or
// signalled without a connection (the outbox) when it returns, and shows alerts that arrive by Web Push.
// Pages with personal data are never stored here; only the shell is. One narrow exception: a child's Words &
// Pictures book, kept in its own cache once opened (by book.js) so the child can read it offline; that cache
// is deleted on signing out and whenever the phone is sent to the sign-in page.
importScripts("/static/js/outbox-core.js");

const VERSION = "kring-shell-v5";
// -v2: child pages no longer carry the grown-ups' notices; books kept before that are let go on activation.
const CHILD_BOOKS = "kring-child-books-v2";
const SHELL = [
  "/offline",
  "/static/css/kring.css",
  "/static/js/app.js",
  "/static/js/quick-exit.js",
  "/static/js/exit-guard.js",
  "/static/js/log-outbox.js",
  "/static/js/outbox-core.js",
  "/static/js/signals.js",
  "/static/js/book.js",
  "/static/icons/kring.svg",
  "/static/icons/kring-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== CHILD_BOOKS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

const COMPOSER = /^\/h\/\d+\/log\/new$/;
const CHILD_BOOK = /^\/h\/\d+\/child\/books\/(story|plan)\/\d+$/;
const BOOK_PICTURE = /^\/h\/\d+\/books\/pages\/\d+\/picture$/;
const SIGN_OUT = /^\/sign-out(-everywhere)?$/;
const FINGERPRINTED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

// Online, always the network; without a connection, the child's book if this phone kept it.
function childBookOr(request, fallback) {
  return fetch(request).catch(async () =>
    (await caches.match(request, { cacheName: CHILD_BOOKS, ignoreVary: true })) || fallback());
}

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
  if (url.origin === location.origin && ((request.method === "POST" && SIGN_OUT.test(url.pathname))
      || (request.mode === "navigate" && url.pathname === "/sign-in"))) {
    event.waitUntil(caches.delete(CHILD_BOOKS));
  }
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate" && CHILD_BOOK.test(url.pathname)) {
    event.respondWith(childBookOr(request, () => caches.match("/offline")));
    return;
  }
  if (BOOK_PICTURE.test(url.pathname)) {
    event.respondWith(childBookOr(request, () => Response.error()));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // A fingerprinted name never changes its content: once kept, it is not asked for again. Any other static
    // file: stale while revalidate, fast on a slow network and fresh on the next load.
    event.respondWith(caches.open(VERSION).then(async (cache) => {
      const cached = await cache.match(request);
      if (cached && FINGERPRINTED.test(url.pathname)) return cached;
      const network = fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }).catch(() => cached);
      return cached || network;
    }));
  }
});

// Every push shows a notification (a silent push makes iPhones drop the subscription). One tag per signal:
// the same alert arriving twice replaces itself instead of ringing twice.
self.addEventListener("push", (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch { message = {}; }
  const alert = message.type === "alert";
  event.waitUntil(self.registration.showNotification(message.title || "Kring", {
    body: message.body || "",
    tag: message.tag || "kring",
    renotify: false,
    requireInteraction: alert,
    icon: "/static/icons/kring-192.png",
    badge: "/static/icons/kring-192.png",
    actions: message.actions || [],
    data: { url: message.url || "/", ack: message.ack || null, type: message.type || "" },
  }));
});

// "I'm going" / "I'm calling" on the notification itself: answer with the delivery's token (no session
// needed), then open the signal's page. A tap on the notification only opens the page.
self.kringRespond = async (notification, action) => {
  const { url, ack, type } = notification.data || {};
  notification.close();
  // A test alert confirms by any tap; an alert answers only by its buttons (a tap just opens the page).
  const answer = type === "test" ? {} : (action === "going" || action === "calling") ? { kind: action } : null;
  if (ack && answer) {
    try {
      await fetch(ack, { method: "POST", body: new URLSearchParams(answer), credentials: "omit" });
    } catch {
      // No connection: the page that opens has the same buttons.
    }
  }
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = pages.find((p) => new URL(p.url).pathname === url);
  if (open) return open.focus();
  return self.clients.openWindow(url || "/");
};

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(self.kringRespond(event.notification, event.action));
});
