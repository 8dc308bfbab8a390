// The print page's Print button; it stays hidden without JavaScript (the browser's own Print works then).
export function enhance() {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}
