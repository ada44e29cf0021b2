// nianbao serve: live reload, the build-error overlay and the warning panel. Injected only by
// `nianbao serve`.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/livereload\.js.*$/, "");
  var url = base.replace(/^http/, "ws") + "ws";
  var overlay = null;

  function show(text) {
    // The page served before any build succeeded already lists the errors.
    if (document.getElementById("nianbao-first-build-error")) {
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "nianbao-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;background:rgba(40,0,0,.94);color:#fff;" +
        "overflow:auto;padding:clamp(.6rem,3vw,1.5rem);font:clamp(13px,3.4vw,15px)/1.6 monospace;" +
        "box-sizing:border-box;max-width:100vw";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "生成失败：修正以下问题后页面会自动刷新（当前显示的是上一次成功生成的网站）";
    title.style.cssText = "font:bold 18px sans-serif;margin:0 0 1rem;overflow-wrap:anywhere";
    overlay.appendChild(title);
    // Messages wrap anywhere (long paths on a phone); a source line and its caret stay one
    // unwrapped block that scrolls sideways, scrolled so that the caret is in view.
    var lines = text.split("\n");
    var i = 0;
    while (i < lines.length) {
      var block = document.createElement("pre");
      var source = /^\s+\S*\s?│/.test(lines[i]);
      var start = i;
      while (i < lines.length && /^\s+\S*\s?│/.test(lines[i]) === source) {
        i++;
      }
      block.textContent = lines.slice(start, i).join("\n");
      block.style.cssText = source
        ? "white-space:pre;overflow-x:auto;margin:0;padding:.2rem 0;background:rgba(0,0,0,.3)"
        : "white-space:pre-wrap;overflow-wrap:anywhere;margin:0";
      if (source) {
        block.className = "nianbao-source";
      }
      overlay.appendChild(block);
      if (source) {
        var caretLine = lines.slice(start, i).filter(function (l) { return l.indexOf("^") >= 0; })[0];
        if (caretLine) {
          var longest = Math.max.apply(null, lines.slice(start, i).map(function (l) { return l.length; }));
          var perChar = block.scrollWidth / Math.max(longest, 1);
          var x = caretLine.indexOf("^") * perChar;
          block.scrollLeft = Math.max(0, x - block.clientWidth / 2);
        }
      }
    }
  }

  var panel = null;

  // The content's warnings (unfinished placeholders, rule breaks, dates) in a small panel, so a
  // clerk sees them where they look: the preview.
  function warnings(count, text) {
    if (panel) {
      panel.remove();
      panel = null;
    }
    if (!count) {
      return;
    }
    panel = document.createElement("details");
    panel.id = "nianbao-warnings";
    panel.style.cssText =
      "position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;max-width:min(40rem,95vw);" +
      "max-height:60vh;overflow:auto;background:#fff8e1;color:#3d2b00;border:2px solid #b35c00;" +
      "border-radius:4px;padding:.4rem .8rem;font:14px/1.5 sans-serif";
    var summary = document.createElement("summary");
    summary.textContent = "预览提示：" + count + " 条警告（点此展开查看）";
    summary.style.cssText = "cursor:pointer;font-weight:bold";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "white-space:pre-wrap;font:13px/1.5 monospace;margin:.5rem 0 0";
    panel.appendChild(summary);
    panel.appendChild(pre);
    document.body.appendChild(panel);
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // A reload names the pages it concerns when it follows deferred work (overview pages written
  // after the edited report's own); without names it concerns every page.
  function shows(paths) {
    if (!paths) {
      return true;
    }
    var here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
    return paths.some(function (p) {
      return p === here;
    });
  }

  function connect() {
    var ws = new WebSocket(url);
    ws.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "reload" && shows(message.paths)) {
        location.reload();
      } else if (message.type === "error") {
        show(message.text);
      } else if (message.type === "ok") {
        hide();
        warnings(message.warnings, message.text);
        if (document.getElementById("nianbao-first-build-error")) {
          location.reload();
        }
      }
    };
    ws.onclose = function () {
      setTimeout(connect, 1000);
    };
  }

  connect();
})();
