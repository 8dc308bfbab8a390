// Moving people on the safety circle by dragging them to another ring, on a wide screen with a mouse. Without it (a
// phone, a keyboard, no JavaScript) each person's "Change" page does the same with a list of choices. The server
// draws the circle: after a move the page is loaded again, so what shows is what was saved.

function ringAt(svg, { x, y }) {
  const size = Number(svg.dataset.size);
  const radii = JSON.parse(svg.dataset.radii);
  if (y > size) return "professional";
  const distance = Math.hypot(x - size / 2, y - size / 2);
  if (distance <= radii.inner) return "inner";
  if (distance <= radii.middle) return "middle";
  if (distance <= radii.outer) return "outer";
  return null; // outside the circle: nothing changes
}

function pointIn(svg, event) {
  const point = svg.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  return point.matrixTransform(svg.getScreenCTM().inverse());
}

export function enhance(svg) {
  const error = document.querySelector("[data-circle-error]");
  for (const dot of svg.querySelectorAll("[data-move]")) {
    dot.classList.add("circle-dot--movable");
    let start = null;
    dot.addEventListener("pointerdown", (event) => {
      start = pointIn(svg, event);
      dot.setPointerCapture(event.pointerId);
    });
    dot.addEventListener("pointermove", (event) => {
      if (!start) return;
      const now = pointIn(svg, event);
      dot.setAttribute("transform", `translate(${now.x - start.x} ${now.y - start.y})`);
    });
    dot.addEventListener("pointerup", async (event) => {
      if (!start) return;
      start = null;
      const ring = ringAt(svg, pointIn(svg, event));
      if (!ring || ring === dot.dataset.ring) {
        dot.removeAttribute("transform");
        return;
      }
      const body = new FormData();
      body.append("csrf_token", svg.dataset.csrf);
      body.append("ring", ring);
      // Not following the redirect: the page it leads to carries the "saved" message, shown by the reload.
      const answer = await fetch(dot.dataset.move, { method: "POST", body, credentials: "same-origin", redirect: "manual" })
        .catch(() => null);
      if (answer && (answer.type === "opaqueredirect" || answer.ok)) {
        window.location.reload();
      } else {
        dot.removeAttribute("transform");
        if (error) error.hidden = false;
      }
    });
  }
}
