// The main navigation's drop-down groups (<details name="navgroup">, one open at a time without script): close the
// open group when clicking elsewhere or pressing Escape. The navigation works without this file.
(function () {
  "use strict";
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
})();
