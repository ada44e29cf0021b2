// Sortable tables (progressive enhancement): the table is complete without this script.
(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) return { num: false, text: cell.textContent.trim() };
    if (v === "") return { num: true, missing: true };
    return { num: true, value: parseFloat(v) };
  }
  function compare(a, b, dir) {
    if (a.num && b.num) {
      if (a.missing || b.missing) return (a.missing ? 1 : 0) - (b.missing ? 1 : 0);
      return dir * (a.value - b.value);
    }
    return dir * a.text.localeCompare(b.text, "zh-CN");
  }
  function sortBy(table, index, button) {
    var th = button.parentNode;
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) { return compare(key(r1.cells[index]), key(r2.cells[index]), dir); });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var tables = document.querySelectorAll("table[data-sortable]");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      // Chromium does not paint form controls in a table header repeated on each printed page:
      // print shows this plain copy of the label instead of the button.
      var label = document.createElement("span");
      label.className = "sort-print-label";
      label.textContent = button.textContent;
      th.appendChild(label);
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
    var hint = table.closest("section") && table.closest("section").querySelector(".sort-hint");
    if (hint) hint.hidden = false;
  });
})();
