// Kring's small enhancements. Every page works without them.
import { quickExit } from "./quick-exit.js";

quickExit();

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  // A page that began loading before the worker was active (the first page after signing in on a slow phone, a
  // hard reload) is not under it until it loads again: ask the worker to take it over now, so that what this page
  // sends (an entry when the connection drops) goes through the worker and its outbox too.
  navigator.serviceWorker.ready.then((r) => {
    if (!navigator.serviceWorker.controller) r.active?.postMessage({ claim: true });
  }).catch(() => {});
}

const summary = document.querySelector("[data-autofocus]");
if (summary) summary.focus();

for (const button of document.querySelectorAll("[data-copy]")) {
  button.closest("[data-share]").hidden = false;
  button.addEventListener("click", async () => {
    const input = document.querySelector(button.dataset.copy);
    input.select();
    try { await navigator.clipboard.writeText(input.value); } catch { document.execCommand("copy"); }
    button.textContent = button.dataset.copied;
  });
}

for (const button of document.querySelectorAll("[data-share-button]")) {
  if (!navigator.share) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.share({ text: button.dataset.shareText, url: button.dataset.shareUrl }).catch(() => {});
  });
}

const install = document.querySelector("[data-install]");
if (install) {
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    install.hidden = false;
    install.querySelector("button").addEventListener("click", () => event.prompt(), { once: true });
  });
}

if (document.querySelector("[data-passkey-button]")) {
  import("./passkeys.js").then((m) => m.enhance());
}

if (document.querySelector("[data-outbox]")) {
  import("./log-outbox.js").then((m) => m.enhance());
}

// The safety circle: drag people to another ring, only on a wide screen with a mouse (elsewhere: "Change").
const circle = document.querySelector("[data-circle-drag]");
if (circle && window.matchMedia("(min-width: 48rem) and (pointer: fine)").matches) {
  import("./circle-drag.js").then((m) => m.enhance(circle));
}

const drawing = document.querySelector("[data-drawing]");
if (drawing) {
  import("./drawing.js").then((m) => m.enhance(drawing));
}

// "Read to me" on the child view's pages (the book has its own, reading only the page's text).
const reader = document.querySelector("[data-read-aloud]");
if (reader && !reader.closest("[data-child-book]")) {
  import("./read-aloud.js").then((m) => m.readAloud(reader, () => m.pageWords()));
}

const childBook = document.querySelector("[data-child-book]");
if (childBook) {
  import("./book.js").then((m) => m.enhanceChild(childBook));
}

const pageForm = document.querySelector("[data-page-form]");
if (pageForm) {
  import("./book.js").then((m) => m.enhanceEditor(pageForm));
}

if (document.querySelector("[data-plain-language]")) {
  import("./plain-language.js").then((m) => m.enhance());
}

// Signing out deletes the child's books and the pages for writing offline kept on this phone (the service
// worker does too, when it runs).
for (const form of document.querySelectorAll('form[action="/sign-out"], form[action="/sign-out-everywhere"]')) {
  form.addEventListener("submit", () => {
    if (!("caches" in window)) return;
    caches.delete("kring-child-books-v2");
    caches.delete("kring-pages-v1");
  });
}

// A page that leads to writing (the household's home, the child view) asks the service worker to keep the page
// to write in, so that it opens without a connection too; the service worker fetches it only once.
const keepOffline = [...document.querySelectorAll("[data-keep-offline]")].map((e) => e.dataset.keepOffline);
if (keepOffline.length && navigator.serviceWorker) {
  navigator.serviceWorker.ready.then((r) => {
    for (const path of keepOffline) r.active?.postMessage({ keep: path, once: true });
  }).catch(() => {});
}

if (document.querySelector("[data-print]")) {
  import("./print.js").then((m) => m.enhance());
}

if (document.querySelector("[data-live], form[data-signal-form], [data-undo-until]")) {
  import("./signals.js").then((m) => m.enhance());
}

const pushCard = document.querySelector("[data-push]");
const pushKey = document.querySelector('meta[name="push-key"]')?.content;
if (pushCard) {
  import("./push.js").then((m) => m.enhance(pushCard));
} else if (pushKey) {
  import("./push.js").then((m) => m.resync(pushKey));
}

// "Was this about your agreement?": choosing from the list of the plan's other agreements ticks "another agreement".
for (const question of document.querySelectorAll("[data-agreement-question]")) {
  const list = question.querySelector("select");
  const other = question.querySelector("input[value='other']");
  if (list && other) list.addEventListener("change", () => { if (list.value) other.checked = true; });
}
