// Web Push on this device: turning alerts on (devices page), and re-sending the subscription on every app
// load so the server always has the current one (phones replace or drop subscriptions without telling).
const TIMEOUT_MS = 10000;

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function withTimeout(promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS))]);
}

async function save(subscription) {
  const response = await fetch("/settings/devices", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(subscription.toJSON()),
  });
  if (!response.ok) {
    const message = (await response.json().catch(() => ({}))).error || "";
    throw Object.assign(new Error(message), { fromKring: true }); // Kring's own message, in the person's language
  }
}

export const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

const sameBytes = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);

async function subscribe(publicKey) {
  const registration = await navigator.serviceWorker.ready;
  const key = keyBytes(publicKey);
  const existing = await registration.pushManager.getSubscription();
  if (existing) {
    const made = existing.options && existing.options.applicationServerKey;
    if (!made || sameBytes(new Uint8Array(made), key)) return existing;
    await existing.unsubscribe(); // made with a key this server no longer has (the operator rotated it)
  }
  return withTimeout(registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
}

// On every page load of a signed-in person who allowed notifications: send the current subscription again.
export async function resync(publicKey) {
  if (!supported() || Notification.permission !== "granted" || sessionStorage.getItem("kring-push-synced")) return;
  try {
    await save(await subscribe(publicKey));
    sessionStorage.setItem("kring-push-synced", "1");
  } catch {
    // Shown on the devices page; a page load is not the moment to bother anyone.
  }
}

// What went wrong, in the person's language with what to do: never the browser's own (English) text.
export function problem(error, texts) {
  if (error.fromKring) return error.message || texts.failed;
  if (error.message === "timeout" || ["AbortError", "NetworkError"].includes(error.name)) return texts.timeout;
  if (error.name === "NotAllowedError") return texts.denied;
  return texts.failed;
}

export function enhance(card) {
  const status = card.querySelector("[data-push-status]");
  const button = card.querySelector("[data-push-enable]");
  const ios = /iPhone|iPad/.test(navigator.userAgent);
  const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
  if (ios && !standalone) {
    card.querySelector("[data-push-ios]").hidden = false;
    return;
  }
  if (!supported()) {
    card.querySelector("[data-push-unsupported]").hidden = false;
    return;
  }
  button.hidden = false;
  if (Notification.permission === "denied") status.textContent = card.dataset.denied;
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = card.dataset.working;
    try {
      if (await Notification.requestPermission() !== "granted") throw new DOMException("", "NotAllowedError");
      await save(await subscribe(card.dataset.publicKey));
      sessionStorage.setItem("kring-push-synced", "1");
      location.reload();
    } catch (error) {
      status.textContent = problem(error, card.dataset);
      button.disabled = false;
    }
  });
}
