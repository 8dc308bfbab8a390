// Plain-language hints while typing, below every field marked data-plain-language ("child" for texts a child
// reads, anything else for grown-ups): professional words with a simpler suggestion, long sentences, long
// words. The lists come from /plain-language/<language>.json, the same ones the server checks with
// (webapp/plain_language.py). Hints are words in a polite live region, never colour alone.

const WAIT_MS = 600;
const LETTER = "\\p{L}";
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

let listsPromise = null;

function lists() {
  const lang = document.documentElement.lang || "nl";
  listsPromise ||= fetch(`/plain-language/${encodeURIComponent(lang)}.json`, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null)).catch(() => null);
  return listsPromise;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function sentences(text) {
  return text.trim().split(/(?<=[.!?…])["'”’)]*\s+|\n+/u).map((s) => s.trim()).filter((s) => s.match(WORD));
}

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

// The same checks as plain_language.check, in the same order: where they are in the text.
export function check(text, data, audience) {
  const hints = [];
  const taken = [];
  for (const group of data.jargon) {
    for (const term of group.words) {
      const body = term.split(/\s+/).map(escape).join("\\s+");
      const match = new RegExp(`(?<!${LETTER})${body}${LETTER}{0,3}(?!${LETTER})`, "iu").exec(text);
      if (match) {
        hints.push({ at: match.index, kind: "jargon", word: match[0], suggestion: group.suggestion });
        taken.push([match.index, match.index + match[0].length]);
      }
    }
  }
  const limit = data.sentenceWords[audience] || data.sentenceWords.adult;
  let offset = 0;
  for (const sentence of sentences(text)) {
    const at = Math.max(text.indexOf(sentence, offset), offset);
    offset = at;
    const words = sentence.match(WORD) || [];
    if (words.length > limit) {
      hints.push({ at, kind: "long_sentence", start: words.slice(0, 6).join(" "), count: words.length, limit });
    }
  }
  const familiar = new Set(data.familiar);
  const seen = new Set();
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const letters = (word.match(/\p{L}/gu) || []).length;
    const lower = word.toLowerCase();
    const inside = taken.some(([s, e]) => s <= match.index && match.index < e);
    if (letters > data.longWord && !inside && !familiar.has(lower) && !seen.has(lower)) {
      seen.add(lower);
      hints.push({ at: match.index, kind: "long_word", word, count: letters });
    }
  }
  return hints.sort((a, b) => a.at - b.at);
}

function render(box, hints, data) {
  const texts = hints.map((h) => fill(data.messages[h.kind], h));
  const key = texts.join("\n");
  if (box.dataset.shown === key) return; // unchanged: say nothing new
  box.dataset.shown = key;
  box.replaceChildren();
  if (!texts.length) return;
  const title = document.createElement("p");
  title.className = "plain-hints__title";
  title.textContent = `💡 ${data.messages.title}`;
  const list = document.createElement("ul");
  for (const text of texts) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  }
  box.append(title, list);
}

export async function enhance() {
  const fields = [...document.querySelectorAll("[data-plain-language]")];
  if (!fields.length) return;
  const data = await lists();
  if (!data) return;
  for (const field of fields) {
    const box = document.createElement("div");
    box.className = "plain-hints";
    box.setAttribute("aria-live", "polite");
    box.id = `${field.id || field.name}-plain-hints`;
    field.insertAdjacentElement("afterend", box);
    const audience = field.dataset.plainLanguage in data.sentenceWords ? field.dataset.plainLanguage : "adult";
    let timer = null;
    const update = () => render(box, check(field.value, data, audience), data);
    field.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, WAIT_MS); });
    update();
  }
}
