// The phone's outbox: safety-log entries written without a connection, kept in IndexedDB until sent.
// A classic script, so that the service worker can importScripts() it and pages can import it; both
// then use self.kringOutbox.
self.kringOutbox = (() => {
  const DATABASE = "kring";
  const STORE = "outbox";
  const TAG = "kring-outbox"; // the Background Sync tag and the lock that lets one sender run at a time

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const put = (entry) => run("readwrite", (store) => store.put(entry));
  const remove = (clientId) => run("readwrite", (store) => store.delete(clientId));
  const all = async () => (await run("readonly", (store) => store.getAll())).sort((a, b) => a.created - b.created);

  async function counts() {
    const entries = await all();
    return { waiting: entries.filter((e) => !e.failed).length, failed: entries.filter((e) => e.failed) };
  }

  // What a form sent, as a record IndexedDB can keep: text fields (client id and CSRF token included) and
  // photos as Blobs with their names and types.
  function entryFrom(url, formData) {
    const fields = [];
    const photos = [];
    for (const [name, value] of formData) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value.size > 0) photos.push({ field: name, blob: value, name: value.name, type: value.type });
    }
    const clientId = formData.get("client_id");
    return { client_id: clientId, url, fields, photos, created: Date.now(), failed: false, errors: null };
  }

  // A page passes its current CSRF token (the stored one may have gone stale); the service worker has none.
  function send(entry, token) {
    const csrf = token || (entry.fields.find(([name]) => name === "csrf_token") || [])[1] || "";
    const body = new FormData();
    for (const [name, value] of entry.fields) body.append(name, name === "csrf_token" ? csrf : value);
    for (const photo of entry.photos) body.append(photo.field, new File([photo.blob], photo.name, { type: photo.type }));
    return fetch(entry.url, {
      method: "POST", body, credentials: "same-origin",
      redirect: "manual", // a redirect means "signed out": never mistake the sign-in page for a success
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    });
  }

  const isJson = (response) => (response.headers.get("Content-Type") || "").startsWith("application/json");

  // A token for this session, or null (signed out, no connection). Needed when an entry, or a page the service
  // worker kept, carries the token of an earlier session: the server then refuses it as {"error": "csrf"}.
  async function freshToken() {
    try {
      const response = await fetch("/csrf-token", {
        credentials: "same-origin", redirect: "manual", cache: "no-store", headers: { Accept: "application/json" },
      });
      if (response.status !== 200 || !isJson(response)) return null;
      return (await response.json()).csrf_token || null;
    } catch {
      return null;
    }
  }

  async function staleToken(response) {
    if (response.status !== 400 || !isJson(response)) return false;
    return (await response.clone().json().catch(() => ({}))).error === "csrf";
  }

  // Sends each waiting entry once. Saved (201) or saved before (200): gone from the outbox. Refused (422,
  // 413): kept, marked failed with the server's messages, not sent again. A stale token: sent again once with a
  // fresh one. Anything else (signed out, the phone handed to a child, server trouble): kept for the next try.
  // No connection: stop and wait for the next try.
  async function flushNow(token) {
    let sent = 0;
    let refreshed = false;
    for (const entry of await all()) {
      if (entry.failed) continue;
      let response;
      try {
        response = await send(entry, token);
        if (!refreshed && await staleToken(response)) {
          refreshed = true;
          const fresh = await freshToken();
          if (fresh) {
            token = fresh;
            response = await send(entry, token);
          }
        }
      } catch {
        break;
      }
      if ((response.status === 200 || response.status === 201) && isJson(response)) {
        await remove(entry.client_id);
        sent += 1;
      } else if (response.status === 422 || response.status === 413) {
        const errors = isJson(response) ? (await response.json().catch(() => ({}))).errors : null;
        await put({ ...entry, failed: true, errors });
      }
    }
    return { ...(await counts()), sent };
  }

  // A page and the service worker may both flush when the connection returns: one at a time.
  const flush = (token) => (self.navigator.locks ? self.navigator.locks.request(TAG, () => flushNow(token)) : flushNow(token));

  return { TAG, put, remove, all, counts, entryFrom, flush, freshToken };
})();
