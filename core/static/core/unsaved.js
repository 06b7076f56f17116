/* Unsaved changes: leaving a page whose data-entry form was changed asks first (the browser's own "leave this
 * page?" dialog), loaded on every page by base.html.
 *
 * A form opts in with the attribute data-guard-unsaved. What it holds when the page opens is its saved state;
 * any difference later (typed, picked, pasted, a file chosen) counts as a change, and undoing it counts as none.
 * Submitting the form itself leaves without asking. data-guard-unsaved="dirty" marks a form shown again with
 * edits the server refused to save (its values are not saved even though the page just opened).
 */
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-guard-unsaved]"));
  if (!forms.length) return;

  function snapshot(form) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "button") return;
      var value;
      if (el.type === "checkbox" || el.type === "radio") value = el.checked ? "1" : "0";
      else if (el.type === "file") value = Array.prototype.map.call(el.files || [], function (f) { return f.name; }).join("|");
      else if (el.tagName === "SELECT" && el.multiple) {
        value = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }).join("|");
      } else value = el.value;
      parts.push(el.name + "=" + value);
    });
    return parts.join("\n");
  }

  var saved = new Map();
  var leaving = null;  // the form being submitted: its changes go with it
  forms.forEach(function (form) {
    saved.set(form, form.dataset.guardUnsaved === "dirty" ? null : snapshot(form));
    form.addEventListener("submit", function (ev) {
      leaving = form;
      // A handler after this one may still cancel the submit: then the page stays and so does the question.
      setTimeout(function () { if (ev.defaultPrevented && leaving === form) leaving = null; }, 0);
    });
  });

  function changed(form) {
    return form !== leaving && document.body.contains(form) && saved.get(form) !== snapshot(form);
  }

  window.addEventListener("beforeunload", function (ev) {
    if (!forms.some(changed)) return;
    ev.preventDefault();
    ev.returnValue = "";  // older browsers need a value to ask
    return "";
  });

  // Coming back through the browser's history restores the page as it was: it is no longer being left.
  window.addEventListener("pageshow", function () { leaving = null; });
})();
