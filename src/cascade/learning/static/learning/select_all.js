/*
 * "Choose everyone shown": a header checkbox that ticks or unticks every row's checkbox of the
 * same name in its form. Hidden without JavaScript, where it could do nothing.
 */
(function () {
  "use strict";

  function boxes(master) {
    var form = master.closest("form");
    var name = master.getAttribute("data-select-all");
    return form ? form.querySelectorAll('input[type="checkbox"][name="' + name + '"]') : [];
  }

  function bind(master) {
    if (master.hasAttribute("data-bound")) return;
    master.setAttribute("data-bound", "");
    master.hidden = false;
    master.addEventListener("change", function () {
      boxes(master).forEach(function (box) { box.checked = master.checked; });
    });
    var form = master.closest("form");
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target === master) return;
        var all = Array.prototype.slice.call(boxes(master));
        var ticked = all.filter(function (box) { return box.checked; }).length;
        master.checked = all.length > 0 && ticked === all.length;
        master.indeterminate = ticked > 0 && ticked < all.length;
      });
    }
  }

  function init() {
    document.querySelectorAll("input[data-select-all]").forEach(bind);
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
