// Quick exit, as GOV.UK's "Exit this page": the button, or Shift pressed three times.
// The page is replaced (not added to history) and a flag makes Back bounce away again.
const PRESSES = 3;
const WINDOW_MS = 1500;

export function leave() {
  const url = document.querySelector('meta[name="quick-exit-url"]').content;
  try { sessionStorage.setItem("kring-exited", "1"); } catch { /* still leave */ }
  document.body.hidden = true;
  document.title = "";
  location.replace(url);
}

export function quickExit() {
  const link = document.getElementById("quick-exit");
  if (link) {
    link.addEventListener("click", (event) => { event.preventDefault(); leave(); });
  }
  let presses = [];
  document.addEventListener("keyup", (event) => {
    if (event.key !== "Shift") { presses = []; return; }
    const now = Date.now();
    presses = presses.filter((t) => now - t < WINDOW_MS).concat(now);
    if (presses.length >= PRESSES) leave();
  });
}
