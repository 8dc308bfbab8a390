// Writing in the safety log without a connection: the composer (and the child's "tell us something") keeps the
// entry on this phone, the outbox sends it when the connection returns, and each page with [data-outbox] says
// how many are waiting. With a connection the form posts exactly as it does without JavaScript.
// Opened without a connection, the page may be the copy the service worker kept (<html data-offline-copy>):
// it gets its own client id and the time of now, and a fresh token once the connection is back.
import "./outbox-core.js";

const outbox = self.kringOutbox;
const offlineCopy = document.documentElement.hasAttribute("data-offline-copy");

function localNow() {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16); // as a datetime-local field wants it: 2026-12-04T18:30
}

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // a version 4 UUID, like the server makes
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pageToken = () => document.querySelector('meta[name="csrf-token"]')?.content;

// The kept copy carries the token of the session it was kept in: take this session's, in the page and the form.
async function refreshToken(form) {
  const token = await outbox.freshToken();
  if (!token) return false;
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) meta.content = token;
  if (form && form.elements.csrf_token) form.elements.csrf_token.value = token;
  return true;
}

// Ask the service worker to keep this page for writing offline, when it did not see it come in: the first visit
// (before it ran) or a composer opened with a kind already chosen (the copy it keeps has none).
function keepForOffline() {
  if (offlineCopy || !navigator.serviceWorker) return;
  if (navigator.serviceWorker.controller && !location.search) return;
  navigator.serviceWorker.ready.then((r) => r.active && r.active.postMessage({ keep: location.pathname }))
    .catch(() => {});
}

function requestSync() {
  navigator.serviceWorker?.ready.then((r) => r.sync && r.sync.register(outbox.TAG)).catch(() => {});
}

export function enhance() {
  const status = document.querySelector("[data-outbox]");
  const form = document.querySelector("form[data-log-form]");
  const texts = { ...(form ? form.dataset : {}), ...status.dataset };
  const offlineNote = document.querySelector("[data-offline-note]");
  const here = form && new URL(form.action).pathname;
  const ofThisForm = (entry) => new URL(entry.url).pathname === here;
  let note = ""; // "saved on this phone", shown until nothing is waiting any more
  let restored = null; // client id of a refused entry put back in the form
  let problem = ""; // the server's messages about that entry

  function show({ waiting, failed }) {
    if (!waiting) note = "";
    const parts = [note];
    if (waiting === 1) parts.push(texts.waitingOne);
    if (waiting > 1) parts.push(texts.waitingMany.replace("{n}", waiting.toLocaleString(document.documentElement.lang)));
    // Refused, and not back in the form because something else was being written: it comes once this is done.
    if (failed.some((e) => ofThisForm(e) && e.client_id !== restored) && texts.failed) parts.push(texts.failed);
    parts.push(problem);
    status.textContent = parts.filter(Boolean).join(" ");
    status.hidden = !status.textContent;
    showOffline();
    if (waiting) requestSync();
  }

  async function update(send) {
    let counts;
    try {
      counts = send && navigator.onLine ? await outbox.flush(pageToken()) : await outbox.counts();
    } catch {
      return null; // no IndexedDB here (some private windows): nothing can be waiting
    }
    show(counts);
    // On the timeline, entries that just arrived belong on the page: show them.
    if (counts.sent && !form && document.querySelector(".day, .empty")) location.reload();
    return counts;
  }

  // Put an entry the server refused back in the form, with the server's messages, to check and save again.
  function restore(entry) {
    for (const [name, value] of entry.fields) {
      const field = form.elements[name];
      // Not the token, nor who was signed in then: saving it again makes the person signed in now its author.
      if (field && !["csrf_token", "author_check"].includes(name) && field.type !== "file") field.value = value;
    }
    if (entry.photos.length && form.elements[entry.photos[0].field]) {
      try {
        const files = new DataTransfer();
        for (const p of entry.photos) files.items.add(new File([p.blob], p.name, { type: p.type }));
        form.elements[entry.photos[0].field].files = files.files;
      } catch {
        // This browser cannot put files back in a form: the person chooses the photo again.
      }
    }
    restored = entry.client_id;
    problem = Object.values(entry.errors || {}).flat().join(" ");
  }

  async function keep(event) {
    if (navigator.onLine && !restored && !offlineCopy) return;
    event.preventDefault();
    await null; // the other submit handlers first: the drawing puts itself in the form
    if (navigator.onLine && (!offlineCopy || await refreshToken(form))) {
      // The refused entry is being sent again by the form itself: its outbox copy has done its job.
      if (restored) await outbox.remove(restored).catch(() => {});
      form.submit();
      return;
    }
    try {
      await outbox.put(outbox.entryFrom(form.action, new FormData(form)));
    } catch (error) {
      if (error && error.name === "QuotaExceededError" && !navigator.onLine) {
        // The phone is full: say so in the person's language, and keep everything typed in the form.
        problem = texts.storageFull;
        await update(false);
        status.scrollIntoView({ block: "center" });
        return;
      }
      form.submit(); // nowhere to keep it: do what the page does without JavaScript
      return;
    }
    form.reset();
    form.elements.client_id.value = newClientId();
    if (offlineCopy && form.elements.occurred_at) form.elements.occurred_at.value = localNow();
    restored = null;
    problem = "";
    note = texts.savedOffline;
    bringBackRefused(await update(false));
    status.scrollIntoView({ block: "center" });
  }

  // Nothing typed, chosen or added in the form since it was opened or emptied.
  function untouched() {
    return [...form.elements].every((e) => {
      if (e.type === "checkbox" || e.type === "radio") return e.checked === e.defaultChecked;
      if (e.type === "file") return !e.files || !e.files.length;
      if (e.tagName === "SELECT") return [...e.options].every((o) => o.selected === o.defaultSelected);
      return e.type === "hidden" || !("defaultValue" in e) || e.value === e.defaultValue;
    });
  }

  // An entry of this form the server refused comes back in it with the reasons: when the page opens, and when
  // sending it was refused just now (the connection came back), unless the person is already writing another.
  function bringBackRefused(counts) {
    if (!counts || !form || restored || document.querySelector(".error-summary") || !untouched()) return;
    const refused = counts.failed.find(ofThisForm);
    if (refused) {
      restore(refused);
      show(counts);
    }
  }

  // Without a connection, say so before anything is written; once something is kept, the status says it.
  function showOffline() {
    if (offlineNote) offlineNote.hidden = navigator.onLine || !!note;
  }

  if (form && offlineCopy) {
    // Not the copy's: each entry its own client id (else the server would take it for one it has), the time of now.
    form.elements.client_id.value = newClientId();
    const when = form.elements.occurred_at;
    if (when) when.defaultValue = when.value = localNow();
  }
  if (form) {
    form.addEventListener("submit", keep);
    keepForOffline();
  }
  showOffline();
  window.addEventListener("offline", showOffline);
  window.addEventListener("online", async () => {
    showOffline();
    if (offlineCopy) await refreshToken(form);
    bringBackRefused(await update(true));
  });
  navigator.serviceWorker?.addEventListener("message", async (event) => {
    if (event.data === outbox.TAG) bringBackRefused(await update(false));
  });
  update(true).then(bringBackRefused);
}
