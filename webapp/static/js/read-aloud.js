// "Read to me" on every page of the child view: the browser's own speech reads the page's words in the page's
// language, a little slowly. The button shows only where the browser can speak; tapping it again stops.

// The words of a page: every element marked data-read-text, in the order of the page.
export function pageWords(root = document) {
  return [...root.querySelectorAll("[data-read-text]")]
    .filter((element) => !element.closest("[hidden]"))
    .map((element) => element.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((text) => (/[.!?؟]$/.test(text) ? text : `${text}.`))
    .join(" ");
}

export function readAloud(button, words) {
  if (!button || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  const label = button.querySelector("[data-read-label]");
  const readText = label.textContent;
  const speech = window.speechSynthesis;
  const lang = document.documentElement.lang || "nl";
  const show = (reading) => {
    label.textContent = reading ? button.dataset.stopText : readText;
    button.setAttribute("aria-pressed", String(reading));
  };
  button.hidden = false;
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-pressed") === "true") { speech.cancel(); show(false); return; }
    const text = words();
    if (!text) return;
    speech.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    const voice = speech.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang.toLowerCase()));
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9; // a little slower, for a child
    utterance.onend = utterance.onerror = () => show(false);
    show(true);
    speech.speak(utterance);
  });
  window.addEventListener("pagehide", () => speech.cancel());
}
