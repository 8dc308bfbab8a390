// Words & Pictures. For the child: swipe or use the arrow keys to turn a page, have it read aloud, and keep
// the whole book on the phone so that it opens without a connection. For the grown-ups making a page: show
// only the part of the form for the kind of picture chosen. Without JavaScript the links and forms still work.

import { pageWords, readAloud } from "./read-aloud.js";

// The one cache of personal pages (see sw.js): a child's book, kept once opened, deleted on sign-out.
export const CHILD_BOOKS = "kring-child-books-v2";
const SWIPE_PX = 60;

function turnPages(root) {
  const prev = root.querySelector("[data-book-prev]");
  const next = root.querySelector("[data-book-next]");
  const rtl = getComputedStyle(root).direction === "rtl";
  const go = (link) => { if (link) location.assign(link.href); };
  let start = null;
  root.addEventListener("touchstart", (event) => {
    const t = event.changedTouches[0];
    start = { x: t.clientX, y: t.clientY };
  }, { passive: true });
  root.addEventListener("touchend", (event) => {
    if (!start) return;
    const t = event.changedTouches[0];
    const dx = t.clientX - start.x, dy = t.clientY - start.y;
    start = null;
    if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
    // A swipe to the left brings the next page (to the right in a right-to-left language).
    go((dx < 0) !== rtl ? next : prev);
  }, { passive: true });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (event.key === "ArrowRight") go(rtl ? prev : next);
    else if (event.key === "ArrowLeft") go(rtl ? next : prev);
  });
}

// Keep every page and picture of this book: this page afresh, the others when not kept yet (a slow network
// should not fetch the whole book on every page). Pages that are no longer in the book are let go. Only
// answers that are really the book are kept: a sign-in page (the session ended) never takes their place.
async function keepOffline(root) {
  if (!("caches" in window) || !root.dataset.offlineUrls) return;
  try {
    const urls = JSON.parse(root.dataset.offlineUrls);
    const here = location.pathname;
    const bookPages = here.slice(0, here.lastIndexOf("/") + 1);
    const cache = await caches.open(CHILD_BOOKS);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith(bookPages) && !urls.includes(path)) await cache.delete(request);
    }
    await Promise.all(urls.map(async (url) => {
      if (url !== here && await cache.match(url, { ignoreVary: true })) return;
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    }));
    root.dataset.offlineReady = "true";
  } catch {
    // No connection or no room: the book still works online.
  }
}

export function enhanceChild(root) {
  turnPages(root);
  readAloud(root.querySelector("[data-read-aloud]"), () => pageWords(root));
  keepOffline(root);
}

export function enhanceEditor(form) {
  const choices = [...form.querySelectorAll("[data-picture-choice]")];
  const sections = [...form.querySelectorAll("[data-picture-section]")];
  for (const needs of form.querySelectorAll("[data-needs-script]")) needs.hidden = false;
  const show = () => {
    const chosen = choices.find((c) => c.checked)?.value;
    for (const section of sections) section.hidden = chosen !== section.dataset.pictureSection;
    // The canvas measures itself when it is shown.
    if (chosen === "drawing") window.dispatchEvent(new Event("resize"));
  };
  for (const choice of choices) choice.addEventListener("change", show);
  show();
}
