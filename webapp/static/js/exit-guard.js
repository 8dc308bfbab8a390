// Runs before the page is drawn: after a quick exit, pressing Back must not show Kring again.
(function () {
  try {
    if (!sessionStorage.getItem("kring-exited")) return;
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var url = document.querySelector('meta[name="quick-exit-url"]').content;
    if (nav && nav.type === "back_forward") {
      document.documentElement.style.display = "none";
      location.replace(url);
    } else {
      sessionStorage.removeItem("kring-exited"); // opened on purpose again
    }
  } catch (e) { /* storage blocked: the link itself still works */ }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && sessionStorage.getItem("kring-exited")) {
      document.documentElement.style.display = "none";
      location.replace(document.querySelector('meta[name="quick-exit-url"]').content);
    }
  });
})();
