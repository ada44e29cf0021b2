// nianbao embeds, the host page's half: loaded by the 嵌入本表 code from the portal
// (<script src="<base_url>static/embed-host.js" async>), so that the page around the embed needs
// no inline script or style: its Content-Security-Policy only has to allow the portal in
// frame-src and script-src. Styles are set through the CSSOM, which CSP does not restrict.
//
// Each embed (its <iframe data-nianbao-embed>) posts
//   {type: "nianbao-embed-height", height, print_height, path}
// on load, when its size changes and when asked ({type: "nianbao-embed-ask"}); this script sets
// the frame that sent it (matched by event.source) to `height`. While the page prints it uses
// the larger of `height` and `print_height` (the embed's height with its print style at a print
// page's width), so that a printed page shows the whole table, not the frame's screen height.
// Loaded twice (two embeds on one page), it installs itself once and asks the frames again.
(function () {
  "use strict";
  var frames = function () {
    return document.querySelectorAll("iframe[data-nianbao-embed]");
  };
  var ask = function () {
    var f = frames();
    for (var i = 0; i < f.length; i++) {
      f[i].style.border = "0";
      if (f[i].contentWindow) f[i].contentWindow.postMessage({ type: "nianbao-embed-ask" }, "*");
    }
  };
  if (window.nianbaoEmbedHost) {
    ask();
    return;
  }
  window.nianbaoEmbedHost = { ask: ask };
  var printing = false;
  var heights = [];  // [frame, screen height, print height]
  var entry = function (frame) {
    for (var i = 0; i < heights.length; i++) if (heights[i][0] === frame) return heights[i];
    var e = [frame, 0, 0];
    heights.push(e);
    return e;
  };
  var apply = function (e) {
    var h = printing ? Math.max(e[1], e[2]) : e[1];
    if (h > 0) e[0].style.height = h + "px";
  };
  var applyAll = function (print) {
    printing = print;
    for (var i = 0; i < heights.length; i++) apply(heights[i]);
  };
  addEventListener("message", function (event) {
    var d = event.data;
    if (!d || d.type !== "nianbao-embed-height" || !(d.height > 0)) return;
    var f = frames();
    for (var i = 0; i < f.length; i++) {
      if (f[i].contentWindow === event.source) {
        var e = entry(f[i]);
        e[1] = Math.ceil(d.height);
        e[2] = d.print_height > 0 ? Math.ceil(d.print_height) : e[1];
        apply(e);
      }
    }
  });
  addEventListener("beforeprint", function () { applyAll(true); });
  addEventListener("afterprint", function () { applyAll(false); });
  // Print preview and emulated print media change the media without the print events.
  if (window.matchMedia) {
    var print = matchMedia("print");
    var changed = function () { applyAll(print.matches); };
    if (print.addEventListener) print.addEventListener("change", changed);
    else if (print.addListener) print.addListener(changed);
  }
  ask();
})();
