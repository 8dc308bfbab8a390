// Kring's service worker: keeps the app shell and an offline page on the phone, sends what was written or
// signalled without a connection (the outbox) when it returns, and shows alerts that arrive by Web Push.
// Pages with personal data are never stored here; only the shell is. Two narrow exceptions, both deleted on
// signing out and whenever the phone is sent to the sign-in page:
// - a child's Words & Pictures book, kept in its own cache once opened (by book.js) so the child can read it
//   offline;
// - the pages to write in (the log composer, the child's "tell us something"), kept for the one person signed
//   in, so that after a reload without a connection they can still write into the outbox. Every page from the
//   server says who is signed in (X-Kring-Person, an opaque name) and whether the phone is handed to a child
//   (X-Kring-Child-Lock): a page is served offline only to the person it was kept for, and while the phone is
//   handed to a child only that household's child page is, never a grown-up's page.
importScripts("/static/js/outbox-core.js");

const VERSION = "kring-shell-v7";
// -v2: child pages no longer carry the grown-ups' notices; books kept before that are let go on activation.
const CHILD_BOOKS = "kring-child-books-v2";
const PAGES = "kring-pages-v1";
// The last clearing of the kept pages (on sign-out and at the sign-in page): keeping waits for it to finish.
let cleared = Promise.resolve();
// How many clearings there have been. A page asked for before one is not learned from after it: it answers for a
// session that has ended, and someone else may have signed in since.
let clearings = 0;
const STATE = "/offline-state"; // in PAGES: {person, lock}, as the last page from the server said
const PERSON = "X-Kring-Person";
const CHILD_LOCK = "X-Kring-Child-Lock";
const NOTICES = /<!--kring:notices-->[\s\S]*?<!--\/kring:notices-->/; // base.html: signals, flashes of that moment
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
  "/static/js/read-aloud.js",
  "/static/js/drawing.js",
  "/static/icons/kring.svg",
  "/static/icons/kring-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => ![VERSION, CHILD_BOOKS, PAGES].includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

const COMPOSER = /^\/h\/(\d+)\/log\/new$/;
const CHILD_MESSAGE = /^\/h\/(\d+)\/log\/child$/;
const CHILD_BOOK = /^\/h\/\d+\/child\/books\/(story|plan)\/\d+$/;
const BOOK_PICTURE = /^\/h\/\d+\/books\/pages\/\d+\/picture$/;
const SIGN_OUT = /^\/sign-out(-everywhere)?$/;
const FINGERPRINTED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

// Online, always the network; without a connection, the child's book if this phone kept it.
function childBookOr(event, request, fallback) {
  const asked = clearings;
  return fetch(request).then((response) => {
    if (request.mode === "navigate") event.waitUntil(learn(response.clone(), asked).catch(() => {}));
    return response;
  }).catch(async () => (await caches.match(request, { cacheName: CHILD_BOOKS, ignoreVary: true })) || fallback());
}

const writable = (path) => COMPOSER.test(path) || CHILD_MESSAGE.test(path);

// A kept page's body is changed here, so its length is no longer the server's.
function withBody(html, response) {
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

async function stateOf(pages) {
  const kept = await pages.match(STATE);
  return kept ? kept.json() : { person: "", lock: "" };
}

// What a page from the server says about who is signed in and the child lock; a page to write in is kept.
// Someone else signed in, or nobody: the pages kept so far are not theirs, so they go. `asked`: the clearings
// counted when the page was asked for.
async function learn(response, asked) {
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return;
  await cleared; // a sign-out's or sign-in's clearing must not land after this page is kept, and take it along
  if (asked !== clearings) return;
  const person = response.headers.get(PERSON) || "";
  const lock = response.headers.get(CHILD_LOCK) || "";
  let pages = await caches.open(PAGES);
  if (!person || (await stateOf(pages)).person !== person) {
    await caches.delete(PAGES);
    if (!person) return;
    pages = await caches.open(PAGES);
  }
  await pages.put(STATE, new Response(JSON.stringify({ person, lock }), { headers: { "Content-Type": "application/json" } }));
  const url = new URL(response.url);
  if (response.status === 200 && !response.redirected && !url.search && writable(url.pathname)) {
    const html = (await response.text()).replace(NOTICES, "");
    await pages.put(url.pathname, withBody(html, response));
  }
}

// Without a connection: the kept page to write in, if it was kept for the person signed in and the child lock
// allows it. Marked as a copy, so that its script gives it a new client id, the time of now and a fresh token.
async function offlineCopy(url) {
  const composer = COMPOSER.exec(url.pathname);
  const child = CHILD_MESSAGE.exec(url.pathname);
  if (!composer && !child) return null;
  const pages = await caches.open(PAGES);
  const [state, page] = await Promise.all([stateOf(pages), pages.match(url.pathname)]);
  if (!page || !state.person || page.headers.get(PERSON) !== state.person) return null;
  if (composer && state.lock) return null; // handed to a child: no grown-up's page
  if (child && state.lock !== child[1]) return null; // a child's page only once handed over, offline too
  const html = (await page.text()).replace("<html ", "<html data-offline-copy ");
  return withBody(html, page);
}

async function navigate(event, request) {
  const asked = clearings;
  try {
    const response = await fetch(request);
    event.waitUntil(learn(response.clone(), asked).catch(() => {}));
    return response;
  } catch {
    return (await offlineCopy(new URL(request.url))) || caches.match("/offline");
  }
}

// A page asks for a page to write in to be kept: fetched now (`once`: only if none is kept yet for this person).
async function keep(path, once) {
  await cleared;
  const asked = clearings;
  if (once) {
    const pages = await caches.open(PAGES);
    const [state, page] = await Promise.all([stateOf(pages), pages.match(path)]);
    if (page && state.person && page.headers.get(PERSON) === state.person) return;
  }
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } });
  await learn(response, asked);
}

self.addEventListener("message", (event) => {
  if (event.origin !== location.origin) return;
  if (event.data && event.data.claim === true) {
    event.waitUntil(self.clients.claim()); // a page that loaded before this worker was active
    return;
  }
  const path = event.data && event.data.keep;
  if (typeof path !== "string" || !writable(path)) return;
  event.waitUntil(keep(path, !!event.data.once).catch(() => {}));
});

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
      && writable(url.pathname)) {
    event.respondWith(sendOrKeep(request));
    return;
  }
  if (url.origin === location.origin && ((request.method === "POST" && SIGN_OUT.test(url.pathname))
      || (request.mode === "navigate" && url.pathname === "/sign-in"))) {
    clearings += 1;
    cleared = Promise.all([caches.delete(CHILD_BOOKS), caches.delete(PAGES)]).catch(() => {});
    event.waitUntil(cleared);
  }
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate" && CHILD_BOOK.test(url.pathname)) {
    event.respondWith(childBookOr(event, request, () => caches.match("/offline")));
    return;
  }
  if (BOOK_PICTURE.test(url.pathname)) {
    event.respondWith(childBookOr(event, request, () => Response.error()));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, request));
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
