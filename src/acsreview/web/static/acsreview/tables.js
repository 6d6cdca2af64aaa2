// A table wider than its box scrolls sideways in it (.table-scroll); nothing on screen said
// so. Such a box gets a one-line hint above it (the text is the page's, translated:
// <body data-scroll-hint>), updated when the window is resized or htmx swaps content in.
(function () {
  "use strict";
  function update() {
    var text = document.body.getAttribute("data-scroll-hint");
    if (!text) { return; }
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.textContent = text;
        box.parentNode.insertBefore(hint, box);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(update, 150); }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
  document.addEventListener("toggle", later, true);  // a <details> opened: its tables show
}());
