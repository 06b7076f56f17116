// Review lists: a "select all on this page" box ticks or clears every row box of its table (data-select-all).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var table = all.closest("table");
    var boxes = function () { return table.querySelectorAll("tbody input[type=checkbox][name=ids]"); };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    table.addEventListener("change", function (event) {
      if (event.target === all || event.target.name !== "ids") { return; }
      var list = Array.prototype.slice.call(boxes());
      all.checked = list.length > 0 && list.every(function (box) { return box.checked; });
    });
  });
});
