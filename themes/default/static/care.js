// 关怀模式 and font size (适老化): the page is complete without this script; the controls only
// appear when it runs. Loaded in <head> so the chosen mode applies before the first paint.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY_CARE = "nianbao-care";
  var KEY_FONT = "nianbao-font";
  var SIZES = ["-1", "0", "1", "2", "3"];
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
  }
  function apply(care, font) {
    root.classList.toggle("care", care);
    root.setAttribute("data-font", font);
  }
  var care = load(KEY_CARE) === "1";
  var font = SIZES.indexOf(load(KEY_FONT)) >= 0 ? load(KEY_FONT) : "0";
  apply(care, font);

  function announce(text) {
    var status = document.getElementById("a11y-status");
    if (status) status.textContent = text;
  }
  function describe() {
    var labels = { "-1": "较小", "0": "标准", "1": "较大", "2": "大", "3": "特大" };
    return "字号：" + labels[font] + (care ? "；关怀模式已开启" : "");
  }
  function sync() {
    var toggle = document.getElementById("care-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", care ? "true" : "false");
      toggle.textContent = care ? "退出关怀模式" : "关怀模式";
    }
    var smaller = document.getElementById("font-smaller");
    var larger = document.getElementById("font-larger");
    // aria-disabled, not disabled: a disabled button loses focus to <body> at the moment it
    // reaches its limit, and a keyboard reader would have to find the bar again.
    if (smaller) smaller.setAttribute("aria-disabled", font === SIZES[0] ? "true" : "false");
    if (larger) larger.setAttribute("aria-disabled", font === SIZES[SIZES.length - 1] ? "true" : "false");
  }
  function step(by) {
    var i = SIZES.indexOf(font) + by;
    if (i < 0 || i >= SIZES.length) return;
    font = SIZES[i];
    save(KEY_FONT, font);
    apply(care, font);
    sync();
    announce(describe());
  }
  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.getElementById("a11y-bar");
    if (!bar) return;
    bar.hidden = false;
    document.getElementById("care-toggle").addEventListener("click", function () {
      care = !care;
      // Care mode starts at a large size; leaving it keeps whatever size the reader chose.
      if (care && SIZES.indexOf(font) < 2) { font = "2"; save(KEY_FONT, font); }
      save(KEY_CARE, care ? "1" : "0");
      apply(care, font);
      sync();
      announce(describe());
    });
    document.getElementById("font-smaller").addEventListener("click", function () { step(-1); });
    document.getElementById("font-larger").addEventListener("click", function () { step(1); });
    document.getElementById("font-reset").addEventListener("click", function () {
      font = care ? "2" : "0";
      save(KEY_FONT, font);
      apply(care, font);
      sync();
      announce(describe());
    });
    sync();
  });
})();
