// Drawing with a finger for a child's message. Without JavaScript the drawing part stays hidden and
// the child can still pick a picture or write words.
//
// Strokes are kept in the canvas's own units (its width and height attributes, 600 x 450), so the
// drawing does not depend on the screen: it is drawn sharp for the device's pixel ratio and sent at
// 600 x 450 as a PNG data URL in the hidden input.

const LINE = 10; // in drawing units
const BACKGROUND = "#ffffff";

export function enhance(section) {
  const canvas = section.querySelector("[data-canvas]");
  const input = section.querySelector("[data-drawing-input]");
  const form = section.closest("form");
  if (!canvas || !input || !form || !canvas.getContext) return;
  const W = canvas.width, H = canvas.height;
  const ctx = canvas.getContext("2d");
  // What was done, in order: strokes, "clear" (start again) and an earlier drawing sent back by the server.
  const actions = [];
  let stroke = null;

  const swatches = [...section.querySelectorAll("[data-colour]")];
  let colour = (swatches.find((b) => b.getAttribute("aria-checked") === "true") || swatches[0])?.dataset.colour || "#1a1a1a";

  section.hidden = false;

  function visible() {
    const start = actions.map((a) => a.clear).lastIndexOf(true);
    return actions.slice(start + 1);
  }

  function paint(c, item) {
    if (item.image) { c.drawImage(item.image, 0, 0, W, H); return; }
    const [first, ...rest] = item.points;
    c.strokeStyle = c.fillStyle = item.colour;
    c.lineWidth = LINE; c.lineCap = "round"; c.lineJoin = "round";
    if (!rest.length) {
      c.beginPath(); c.arc(first[0], first[1], LINE / 2, 0, 2 * Math.PI); c.fill();
      return;
    }
    c.beginPath(); c.moveTo(first[0], first[1]);
    for (const [x, y] of rest) c.lineTo(x, y);
    c.stroke();
  }

  function redraw(c = ctx) {
    c.fillStyle = BACKGROUND;
    c.fillRect(0, 0, W, H);
    for (const item of visible()) paint(c, item);
  }

  // Sharp on every screen: as many canvas pixels as device pixels, drawing units scaled onto them.
  function fit() {
    const width = canvas.clientWidth;
    if (!width) return;
    const ratio = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.round(width * ratio);
    const h = Math.round((w * H) / W);
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    ctx.setTransform(w / W, 0, 0, h / H, 0, 0);
    redraw();
  }

  function point(event) {
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left - canvas.clientLeft) * W) / canvas.clientWidth;
    const y = ((event.clientY - box.top - canvas.clientTop) * H) / canvas.clientHeight;
    return [Math.round(Math.max(0, Math.min(W, x)) * 10) / 10, Math.round(Math.max(0, Math.min(H, y)) * 10) / 10];
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (stroke || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    stroke = { colour, points: [point(event)], pointerId: event.pointerId };
    actions.push(stroke);
    paint(ctx, stroke);
  });

  canvas.addEventListener("pointermove", (event) => {
    if (!stroke || event.pointerId !== stroke.pointerId) return;
    event.preventDefault();
    const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const move of moves.length ? moves : [event]) {
      const last = stroke.points[stroke.points.length - 1];
      const next = point(move);
      if (next[0] === last[0] && next[1] === last[1]) continue;
      stroke.points.push(next);
      paint(ctx, { colour: stroke.colour, points: [last, next] });
    }
  });

  function end(event) {
    if (stroke && event.pointerId === stroke.pointerId) stroke = null;
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("lostpointercapture", end);

  // The colours behave as one radio group: click or Space to choose, arrow keys to move and choose.
  function choose(button, focus) {
    for (const b of swatches) {
      const on = b === button;
      b.setAttribute("aria-checked", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    colour = button.dataset.colour;
    if (focus) button.focus();
  }
  const chosen = swatches.find((b) => b.dataset.colour === colour);
  if (chosen) choose(chosen, false);
  for (const button of swatches) {
    button.addEventListener("click", () => choose(button, false));
    button.addEventListener("keydown", (event) => {
      const rtl = getComputedStyle(button).direction === "rtl";
      const step = { ArrowDown: 1, ArrowUp: -1, ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      const i = swatches.indexOf(button);
      let next = null;
      if (step) next = swatches[(i + step + swatches.length) % swatches.length];
      else if (event.key === "Home") next = swatches[0];
      else if (event.key === "End") next = swatches[swatches.length - 1];
      if (!next) return;
      event.preventDefault();
      choose(next, true);
    });
  }

  section.querySelector("[data-undo]")?.addEventListener("click", () => {
    if (stroke) return;
    actions.pop();
    redraw();
  });
  section.querySelector("[data-clear]")?.addEventListener("click", () => {
    if (stroke || !visible().length) return;
    actions.push({ clear: true }); // Undo brings the drawing back
    redraw();
  });

  form.addEventListener("submit", () => {
    if (!visible().length) { input.value = ""; return; }
    const out = document.createElement("canvas");
    out.width = W; out.height = H;
    redraw(out.getContext("2d"));
    input.value = out.toDataURL("image/png");
  });

  // The form emptied for the next message (sent, or kept on the phone without a connection): a clean sheet.
  form.addEventListener("reset", () => {
    actions.length = 0;
    stroke = null;
    input.value = "";
    redraw();
  });

  // A drawing that came back with the form (another field needed fixing) is kept, not lost.
  if (input.value.startsWith("data:image/png;base64,")) {
    const image = new Image();
    image.onload = () => { actions.unshift({ image }); redraw(); };
    image.src = input.value;
  }

  fit();
  window.addEventListener("resize", fit);
}
