// Signals: keep a signal's page up to date (and say on the page when it cannot), hide "take it back" when its time
// is over, and raise a signal without a connection (say so at once, show who to call, keep it in the outbox until it
// can be sent).
import "./outbox-core.js";

const outbox = self.kringOutbox;
const REFRESH_MS = 4000;  // unless the page says otherwise (data-live-every, from LIVE_REFRESH_SECONDS)

// Why the last refresh brought nothing new, or null when it did. A refusal is said on the page, in the words the
// page brought along (data-refresh-notice), so that a page never silently stops updating.
async function problemWith(response) {
  if (response.status === 403) {
    const body = await response.json().catch(() => ({}));
    return body.error === "child_lock" ? "locked" : "gone";
  }
  if (response.status === 404 || response.status === 410) return "gone";
  if (!response.ok) return "failed";
  if (response.redirected && new URL(response.url).pathname === "/sign-in") return "signedOut";
  return null;
}

function say(notice, problem) {
  if (!notice) return;
  const box = notice.firstElementChild;
  if (!problem) { box.hidden = true; return; }
  const message = notice.dataset[problem];
  const text = box.querySelector("[data-refresh-message]");
  if (text.textContent !== message) text.textContent = message;
  box.querySelector("[data-refresh-unlock]").hidden = problem !== "locked";
  box.hidden = false;
}

function keepLive(region) {
  const notice = document.querySelector("[data-refresh-notice]");
  const refresh = async () => {
    if (document.hidden) return;
    let problem, html;
    try {
      // The header marks a refresh: it never changes the child lock, and a refusal comes back as JSON.
      const response = await fetch(region.dataset.live, {
        credentials: "same-origin", headers: { Accept: "text/html", "X-Kring-Refresh": "1" },
      });
      problem = await problemWith(response);
      if (!problem) html = await response.text();
    } catch {
      say(notice, "offline");  // no connection for a moment: try again on the next tick
      return;
    }
    const next = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
    say(notice, problem || (next ? null : "failed"));
    if (next && next.innerHTML !== region.innerHTML) {
      region.innerHTML = next.innerHTML;
      region.querySelectorAll("[data-undo-until]").forEach(hideWhenLate);
    }
  };
  setInterval(refresh, Number(region.dataset.liveEvery) || REFRESH_MS);
  document.addEventListener("visibilitychange", refresh);
}

function hideWhenLate(form) {
  const left = Date.parse(form.dataset.undoUntil) - Date.now();
  if (left <= 0) { form.hidden = true; return; }
  setTimeout(() => { form.hidden = true; }, left);
}

function showOffline(panel) {
  panel.hidden = false;
  panel.focus();
}

function enhanceRaise(form) {
  const panel = document.querySelector("[data-offline-panel]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const url = form.action || location.href;
    const keep = async () => {
      showOffline(panel);
      try {
        await outbox.put(outbox.entryFrom(url, data));
        const registration = await navigator.serviceWorker?.ready;
        await registration?.sync?.register(outbox.TAG);
      } catch {
        // No IndexedDB (a private window): the call and text links are still there.
      }
    };
    if (!navigator.onLine) { await keep(); return; }
    try {
      const response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": data.get("csrf_token") },
      });
      if (response.ok) {
        const body = await response.json();
        location.assign(body.url);
        return;
      }
      // Refused (e.g. a note that is too long, or signed out): let the normal form show why.
      form.submit();
    } catch {
      await keep();
    }
  });
}

export function enhance() {
  document.querySelectorAll("[data-live]").forEach(keepLive);
  document.querySelectorAll("[data-undo-until]").forEach(hideWhenLate);
  document.querySelectorAll("form[data-signal-form]").forEach(enhanceRaise);
  // A signal kept on the phone goes out as soon as the connection returns, also without a service worker.
  window.addEventListener("online", () => outbox.flush(document.querySelector('meta[name="csrf-token"]')?.content).catch(() => {}));
}
