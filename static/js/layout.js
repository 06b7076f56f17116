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

  // Browsers without ::details-content (older Chromium-based and Firefox ones) cannot show a closed <details>'s
  // content from CSS: open the menu on a wide screen here, so they too see the groups and not a 菜单 button.
  var menu = document.querySelector("details.navmenu");
  if (menu && !(window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) {
    var wide = window.matchMedia("(min-width: 761px)");
    var fit = function () {
      menu.classList.toggle("navmenu-wide", wide.matches);
      menu.open = wide.matches;
    };
    fit();
    if (wide.addEventListener) wide.addEventListener("change", fit);
  }

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
