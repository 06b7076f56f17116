/* Keyboard-first entry and spreadsheet paste for the monthly grid (members/monthlyreview_grid.html).
 *
 * Keys (the help line under the grid says the same):
 *   ↑ ↓ / Enter / Shift+Enter  the same cell of the previous / next member
 *   PgUp / PgDn                the same cell ten members up / down (or the first / last member)
 *   ← →                        the previous / next cell of the member (in text fields: at the start / end of the text)
 *   Tab / Shift+Tab            every field in order (the browser's own)
 *   Esc                        back to the member's result cell
 *   on the result cell: 1 or Q 合格, 2 or E 优 (then the reason), 3 or D 扣分 (then the member's empty deduction rule)
 *   in an empty reason cell: 1–9 the village's usual reason of that number (listed under the grid)
 *   Ctrl+S or Ctrl+Enter       save the month
 * Paste: text copied from a spreadsheet (tab-separated rows) fills the grid from the focused cell onward, one member
 * per line, columns in the grid's order: result, reason, rule, note, talk by, talk date. If the first column holds
 * the members' names, lines go to those members (the result column first). Values that match nothing are marked
 * and left unchanged, never guessed.
 */
(function () {
  "use strict";
  var table = document.querySelector("table[data-grid]");
  if (!table) return;
  var form = table.closest("form");
  var status = document.querySelector("[data-grid-status]");
  var COLUMNS = ["rating", "reason", "rule", "note", "talk_by", "talk_date"];

  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-member]")); }

  function cells(row) {
    return Array.prototype.slice.call(row.querySelectorAll("select, input[type=text], input[type=date], input[type=checkbox]"))
      .filter(function (el) { return !el.disabled; });
  }

  function columnOf(el) {
    // rating-12 → rating; d-12-0-rule → d0-rule; the column key is the same for every member.
    var m = /^d-\d+-(\d+)-(.+)$/.exec(el.name || "");
    if (m) return "d" + m[1] + "-" + m[2];
    return (el.name || "").replace(/-\d+$/, "");
  }

  function focusCell(el) {
    if (!el) return;
    el.focus();
    if (el.select && el.type === "text") el.select();
  }

  function cellInRow(row, column) {
    var list = cells(row);
    for (var i = 0; i < list.length; i++) if (columnOf(list[i]) === column) return list[i];
    // a member without that deduction slot: the empty slot's cell of the same kind, else the first cell
    var kind = column.replace(/^d\d+-/, "");
    var slot = emptySlot(row);
    if (slot && slot[kind]) return slot[kind];
    return list[0];
  }

  function moveRow(el, step, clamp) {
    var row = el.closest("tr[data-member]");
    var all = rows();
    var here = all.indexOf(row);
    var i = here + step;
    if (clamp) i = Math.max(0, Math.min(all.length - 1, i));
    if (i < 0 || i >= all.length || i === here) return false;
    focusCell(cellInRow(all[i], columnOf(el)));
    return true;
  }

  function moveCell(el, step) {
    var list = cells(el.closest("tr[data-member]"));
    var i = list.indexOf(el) + step;
    if (i < 0 || i >= list.length) return false;
    focusCell(list[i]);
    return true;
  }

  function slotFields(div) {
    var f = {};
    div.querySelectorAll("select, input").forEach(function (el) {
      var m = /^d-\d+-\d+-(.+)$/.exec(el.name || "");
      if (m) f[m[1]] = el;
    });
    return f;
  }

  function emptySlot(row) {
    var divs = row.querySelectorAll(".deduction");
    for (var i = 0; i < divs.length; i++) {
      var f = slotFields(divs[i]);
      if (f.rule && !f.rule.disabled && !(f.id && f.id.value) && !f.rule.value) return f;
    }
    return null;
  }

  function setRating(row, value) {
    var sel = row.querySelector("select[name^=rating-]");
    if (!sel || sel.disabled) return null;
    sel.value = value;
    sel.dispatchEvent(new Event("change", { bubbles: true }));
    return sel;
  }

  function save() {
    if (!form) return;
    var button = form.querySelector("button[data-grid-save]");
    if (!button) return;
    if (form.requestSubmit) form.requestSubmit(button); else button.click();
  }

  // The village's usual 优 reasons, numbered as the list under the grid shows them (the save reads a lone number
  // in a reason cell the same way, so the page works without this script too).
  var PAGE = 10;
  var usualReasons = Array.prototype.map.call(document.querySelectorAll("[data-usual-reasons] li[data-reason]"),
    function (li) { return li.dataset.reason; });

  function pickReason(el, number) {
    var empty = !el.value || (el.selectionStart === 0 && el.selectionEnd === el.value.length);
    if (!empty || number > usualReasons.length) return false;
    el.value = usualReasons[number - 1];
    el.setSelectionRange(el.value.length, el.value.length);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function atEdge(el, step) {
    if (el.tagName !== "INPUT" || el.type !== "text") return true;
    if (el.selectionStart !== el.selectionEnd) return el.selectionStart === 0 && el.selectionEnd === el.value.length;
    return step < 0 ? el.selectionStart === 0 : el.selectionEnd === el.value.length;
  }

  table.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (!el.closest || !el.closest("tr[data-member]")) return;
    var row = el.closest("tr[data-member]");
    if (ev.ctrlKey && !ev.altKey && (ev.key === "s" || ev.key === "S" || ev.key === "Enter")) {
      ev.preventDefault();
      save();
      return;
    }
    if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
    var handled = false;
    if (ev.key === "Escape") { focusCell(cells(row)[0]); handled = true; }
    else if (ev.key === "ArrowDown" || (ev.key === "Enter" && !ev.shiftKey)) handled = moveRow(el, 1) || ev.key === "Enter";
    else if (ev.key === "ArrowUp" || (ev.key === "Enter" && ev.shiftKey)) handled = moveRow(el, -1) || ev.key === "Enter";
    else if (ev.key === "PageDown" || ev.key === "PageUp") {
      moveRow(el, ev.key === "PageDown" ? PAGE : -PAGE, true);
      handled = true;
    }
    else if (columnOf(el) === "reason" && /^[1-9]$/.test(ev.key) && pickReason(el, +ev.key)) handled = true;
    else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      var step = ev.key === "ArrowRight" ? 1 : -1;
      if (atEdge(el, step)) handled = moveCell(el, step);
    } else if (columnOf(el) === "rating" && !ev.shiftKey) {
      var k = ev.key.toLowerCase();
      if (k === "1" || k === "q") { setRating(row, "qualified"); handled = true; }
      else if (k === "2" || k === "e") { setRating(row, "excellent"); focusCell(row.querySelector("input[name^=reason-]")); handled = true; }
      else if (k === "3" || k === "d") {
        setRating(row, "qualified");
        var slot = emptySlot(row);
        if (slot) focusCell(slot.rule);
        handled = true;
      }
    }
    if (handled) ev.preventDefault();
  });

  /* ---- paste from a spreadsheet ---- */

  function clean(v) { return (v || "").replace(/\u00a0/g, " ").trim(); }

  function parseRating(v) {
    var s = clean(v).toLowerCase();
    if (["", "合格", "qualified", "1", "q", "ok", "√", "✓"].indexOf(s) >= 0) return "qualified";
    if (["优", "优秀", "excellent", "2", "e"].indexOf(s) >= 0) return "excellent";
    if (["扣分", "扣", "deducted", "3", "d"].indexOf(s) >= 0) return "deducted";
    return null;
  }

  function parseDate(v) {
    var s = clean(v);
    if (!s) return "";
    var m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) || /^(\d{4})(\d{2})(\d{2})$/.exec(s);
    if (!m) return null;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
    return m[1] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[3]).slice(-2);
  }

  function matchRule(select, v) {
    var s = clean(v);
    if (!s) return "";
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    var num = /^(?:第\s*)?(\d+)\s*(?:条|\.|、)?$/.exec(s);
    var hits = options.filter(function (o) {
      if (num) return o.dataset.number === num[1];
      var text = o.dataset.text || o.textContent;
      return text === s;
    });
    if (!hits.length && !num) {
      hits = options.filter(function (o) { return (o.dataset.text || o.textContent).indexOf(s) >= 0; });
    }
    return hits.length === 1 ? hits[0].value : null;  // none or several: not guessed
  }

  function mark(el, ok, value) {
    if (!el) return;
    el.classList.toggle("paste-unmatched", !ok);
    if (!ok) {
      el.setAttribute("aria-invalid", "true");
      el.title = (table.dataset.msgUnmatched || "Not recognised:") + " " + value;
    } else {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("title");
    }
  }

  function fillRow(row, values, startCol, report) {
    var slot = null;
    function deduction() { return slot || (slot = emptySlot(row)); }
    values.forEach(function (raw, i) {
      var col = COLUMNS[startCol + i];
      var value = clean(raw);
      if (!col) return;
      if (col === "rating") {
        var sel = row.querySelector("select[name^=rating-]");
        var r = parseRating(value);
        if (r === null) { mark(sel, false, value); report.unmatched.push(value); return; }
        setRating(row, r === "excellent" ? "excellent" : "qualified");
        mark(sel, true);
        report.filled++;
      } else if (col === "reason") {
        var reason = row.querySelector("input[name^=reason-]");
        if (reason && value) { reason.value = value; report.filled++; }
      } else {
        var f = deduction();
        if (!f) { if (value) report.unmatched.push(value); return; }
        if (col === "rule") {
          var rule = matchRule(f.rule, value);
          if (rule === null) { mark(f.rule, false, value); report.unmatched.push(value); return; }
          if (rule) { f.rule.value = rule; mark(f.rule, true); report.filled++; }
        } else if (col === "talk_date") {
          var date = parseDate(value);
          if (date === null) { mark(f.talk_date, false, value); report.unmatched.push(value); return; }
          if (date) { f.talk_date.value = date; mark(f.talk_date, true); report.filled++; }
        } else if (f[col] && value) {
          f[col].value = value;
          report.filled++;
        }
      }
    });
  }

  function startColumn(el) {
    var c = columnOf(el).replace(/^d\d+-/, "");
    var i = COLUMNS.indexOf(c);
    return i < 0 ? 0 : i;
  }

  table.addEventListener("paste", function (ev) {
    var el = ev.target;
    var row = el.closest && el.closest("tr[data-member]");
    if (!row) return;
    var text = (ev.clipboardData || window.clipboardData).getData("text");
    var single = text && text.indexOf("\t") < 0 && text.replace(/\r?\n$/, "").indexOf("\n") < 0;
    if (!text || (single && el.tagName !== "SELECT")) return;  // one value into a text field: the browser's own
    ev.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n").map(function (l) { return l.split("\t"); });
    var all = rows();
    var byName = {};
    all.forEach(function (r) { byName[r.dataset.name] = r; });
    var keyed = lines.some(function (l) { return l.length > 1 && byName[clean(l[0])]; });
    var report = { filled: 0, unmatched: [] };
    table.querySelectorAll(".paste-unmatched").forEach(function (x) { mark(x, true); });
    all.forEach(function (r) { r.classList.remove("paste-unknown"); });
    if (keyed) {
      lines.forEach(function (l) {
        var name = clean(l[0]);
        if (!name) return;
        var target = byName[name];
        if (!target) { report.unmatched.push(name); return; }
        fillRow(target, l.slice(1), 0, report);
      });
    } else {
      var start = all.indexOf(row);
      var col = startColumn(el);
      lines.forEach(function (l, i) {
        var target = all[start + i];
        if (!target) { report.unmatched.push(l.join(" ")); return; }
        fillRow(target, l, col, report);
      });
    }
    if (status) {
      var msg = (table.dataset.msgPasted || "Filled %(filled)s cells.").replace("{n}", report.filled);
      if (report.unmatched.length) {
        msg += " " + (table.dataset.msgUnmatchedCount || "Not recognised (marked, left unchanged):") + " " + report.unmatched.join("、");
      }
      status.textContent = msg;
      status.classList.toggle("error", report.unmatched.length > 0);
    }
  });

  // Talk dates are typed like in a spreadsheet (20261120, 2026-11-20, 2026/11/20, 2026年11月20日) rather than
  // through the browser's date picker, whose parts follow the browser's language; they are written back as ISO.
  table.querySelectorAll("tr[data-member] input[type=date]").forEach(function (el) {
    el.type = "text";
    el.inputMode = "numeric";
    el.classList.add("date");
    el.placeholder = el.placeholder || "yyyy-mm-dd";
    el.addEventListener("change", function () {
      var iso = parseDate(el.value);
      if (iso !== null) { el.value = iso; mark(el, true); }
      else mark(el, false, el.value);
    });
  });

  // A new deduction's talk is prefilled (by the branch secretary, on the review meeting's day) and shown muted
  // until a rule is chosen; a meeting date typed on this page becomes the talk date where the default still stands.
  function markChosen(select) {
    var slot = select.closest(".slot-new");
    if (slot) slot.classList.toggle("chosen", !!select.value);
  }
  table.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("select[name$=-rule]")) markChosen(ev.target);
  });
  table.querySelectorAll(".slot-new select[name$=-rule]").forEach(markChosen);
  var meetingDate = form && form.querySelector("input[name=meeting-meeting_date]");
  if (meetingDate) {
    var talkDate = meetingDate.value;
    meetingDate.addEventListener("change", function () {
      var iso = parseDate(meetingDate.value);
      if (iso === null) return;
      table.querySelectorAll(".slot-new input[name$=-talk_date]").forEach(function (el) {
        if (el.value === talkDate) { el.value = iso; mark(el, true); }
      });
      talkDate = iso;
    });
  }

  // Start at the first member with an error (after a refused save), else at the first member's result.
  // A refused cell (too long, a rule given twice) is focused itself.
  var start = table.querySelector("tr.has-error") || table.querySelector("tbody tr[data-member]");
  var invalid = table.querySelector("tr.has-error [aria-invalid=true]");
  if (start && !document.querySelector("[autofocus]")) focusCell(invalid || cells(start)[0]);
})();
