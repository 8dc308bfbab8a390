// Passkeys: sign in, or add one in settings. WebAuthn JSON is base64url; the browser wants bytes.
const b64urlToBytes = (s) => {
  const pad = "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob((s + pad).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};
const bytesToB64url = (buf) => {
  let bin = "";
  for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: body === undefined ? "{}" : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.error || ""), { fromKring: true });
  return data;
}

function encodeCredential(cred) {
  const r = cred.response;
  const response = { clientDataJSON: bytesToB64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = bytesToB64url(r.attestationObject);
    if (r.getTransports) response.transports = r.getTransports();
  } else {
    response.authenticatorData = bytesToB64url(r.authenticatorData);
    response.signature = bytesToB64url(r.signature);
    if (r.userHandle) response.userHandle = bytesToB64url(r.userHandle);
  }
  return { id: cred.id, rawId: bytesToB64url(cred.rawId), type: cred.type, response,
           clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
           authenticatorAttachment: cred.authenticatorAttachment || undefined };
}

async function signIn(button) {
  const options = await post(button.dataset.optionsUrl);
  options.challenge = b64urlToBytes(options.challenge);
  for (const c of options.allowCredentials || []) c.id = b64urlToBytes(c.id);
  const cred = await navigator.credentials.get({ publicKey: options });
  return post(button.dataset.finishUrl, encodeCredential(cred));
}

async function register(button) {
  const options = await post(button.dataset.optionsUrl);
  options.challenge = b64urlToBytes(options.challenge);
  options.user.id = b64urlToBytes(options.user.id);
  for (const c of options.excludeCredentials || []) c.id = b64urlToBytes(c.id);
  const cred = await navigator.credentials.create({ publicKey: options });
  const url = new URL(button.dataset.finishUrl, location.href);
  url.searchParams.set("name", button.dataset.name);
  return post(url.toString(), encodeCredential(cred));
}

export function enhance() {
  if (!window.PublicKeyCredential) return;
  for (const button of document.querySelectorAll("[data-passkey-button]")) {
    const box = button.parentElement;
    const error = box.querySelector("[data-passkey-error]");
    const action = box.hasAttribute("data-passkey-register") ? register : signIn;
    box.hidden = false;
    const unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) unsupported.hidden = true;
    button.addEventListener("click", async () => {
      error.hidden = true;
      button.disabled = true;
      try {
        const result = await action(button);
        location.assign(result.redirect);
      } catch (e) {
        // NotAllowedError: the person cancelled or the phone said no. Say so kindly. Only Kring's own
        // messages are shown as they are: the browser's are technical and in English.
        error.textContent = (e.fromKring && e.message) || button.dataset.errorText;
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
  }
}
