// Layout helpers for every page (loaded by base.html; the pages work without it).
(function () {
  "use strict";

  // The main navigation's drop-down groups (<details name="navgroup">, one open at a time without script): close the
  // open group when clicking elsewhere or pressing Escape.
  function openGroups() {
    return document.querySelectorAll(".mainnav details.navgroup[open]");
  }
  document.addEventListener("click", function (event) {
    openGroups().forEach(function (group) {
      if (!group.contains(event.target)) group.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openGroups().forEach(function (group) {
      group.open = false;
      group.querySelector("summary").focus();
    });
  });

  // Table cells with a short text (a name of a few characters, a date, a figure) never wrap: a 3-character name
  // broken over three lines, or a date over two, is hard to read. Longer texts wrap as usual.
  var SHORT = 12;
  function markShortCells(root) {
    root.querySelectorAll("table td, table th").forEach(function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      if (text.length > 0 && text.length <= SHORT && cell.querySelector("input:not([type=hidden]), select, textarea") === null) {
        cell.classList.add("nowrap");
      }
    });
  }
  markShortCells(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { markShortCells(event.target); });
})();
