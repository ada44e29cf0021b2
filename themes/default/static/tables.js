// The 表格较宽，可左右滑动查看 hint above a table: every page writes it hidden, and this script
// shows it while its table is wider than its scroll box, and hides it again when the table fits
// (a wider window, a smaller font). Without the script the hint stays hidden rather than claim
// a scroll that may not be there.
(function () {
  "use strict";
  // The hint is the scroll box's previous sibling, as the templates write it.
  function hintOf(box) {
    var hint = box.previousElementSibling;
    return hint && hint.classList.contains("scroll-note") ? hint : null;
  }
  // The region's accessible name names the scroll too ("scroll-hint" in aria-labelledby): kept
  // only while the table scrolls, so a screen reader is not told of a scroll that is not there.
  function label(box, scrolls) {
    var ids = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(function (id) {
      return id && id !== "scroll-hint";
    });
    if (scrolls && document.getElementById("scroll-hint")) ids.push("scroll-hint");
    if (ids.length) box.setAttribute("aria-labelledby", ids.join(" "));
  }
  function update(box) {
    var hint = hintOf(box);
    // One pixel of slack: zoomed pages round widths to fractions.
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (hint) hint.hidden = !scrolls;
    label(box, scrolls);
  }
  function start() {
    var boxes = Array.prototype.filter.call(document.querySelectorAll(".table-scroll"), hintOf);
    if (!boxes.length) return;
    boxes.forEach(update);
    if (!window.ResizeObserver) {
      window.addEventListener("resize", function () { boxes.forEach(update); });
      return;
    }
    // The box changes size with the window; its table with the font (关怀模式, A＋).
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var box = entry.target.closest(".table-scroll");
        if (box) update(box);
      });
    });
    boxes.forEach(function (box) {
      observer.observe(box);
      if (box.firstElementChild) observer.observe(box.firstElementChild);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
