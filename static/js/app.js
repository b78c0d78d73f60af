/* Chi Bộ Số: the page behaviour that used to be inline. The Content-Security-Policy allows
   scripts from this site only (script-src 'self'): no <script> blocks, no on*= attributes, no
   hx-on. Each behaviour hangs on a data- attribute; listeners are delegated from the document,
   so rows swapped in by htmx behave like the first page. */
(function () {
  "use strict";

  /* <input data-autosubmit>: changing it submits its form (e.g. "show ended organizations"). */
  document.addEventListener("change", function (event) {
    const input = event.target.closest && event.target.closest("[data-autosubmit]");
    if (input && input.form) input.form.requestSubmit();
  });

  /* <a data-export-form="id">: the download carries the filter form's current values, so it
     exports what is on screen after htmx changed the list without reloading the page. */
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-export-form]");
    const form = link && document.getElementById(link.dataset.exportForm);
    if (!form) return;
    const url = new URL(link.href, window.location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    link.href = url.toString();
  });

  /* <form data-busy="Đang kiểm tra…">: long work (an upload, an import) is sent once. On submit
     the button shows that it is working and stops answering, so a second click sends nothing. */
  document.addEventListener("submit", function (event) {
    const form = event.target.closest && event.target.closest("form[data-busy]");
    if (!form) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
      button.textContent = form.dataset.busy;
    });
  });

  /* <span data-picker>: a search-as-you-type picker (apps/core/pickers.py). Typing clears the
     chosen row until one of the answers (<button data-pick="pk" data-pick-label="…">) is
     clicked; the click fills the hidden input and shows the chosen label in the box. */
  document.addEventListener("input", function (event) {
    const box = event.target.closest && event.target.closest("[data-picker-search]");
    const picker = box && box.closest("[data-picker]");
    if (!picker) return;
    const value = picker.querySelector("[data-picker-value]");
    if (value) value.value = "";
  });
  document.addEventListener("click", function (event) {
    const option = event.target.closest && event.target.closest("[data-pick]");
    const picker = option && option.closest("[data-picker]");
    if (!picker) return;
    event.preventDefault();
    picker.querySelector("[data-picker-value]").value = option.dataset.pick;
    picker.querySelector("[data-picker-search]").value = option.dataset.pickLabel;
    picker.querySelector("[data-picker-results]").textContent = "";
  });

  /* <form data-needs-other="kind kind …">: the "other organization" fields show only for the
     status changes that name one (transfers out). */
  function setUpNeedsOther(root) {
    root.querySelectorAll("form[data-needs-other]").forEach(function (form) {
      if (form.dataset.needsOtherReady) return;
      form.dataset.needsOtherReady = "1";
      const kinds = form.dataset.needsOther.split(" ");
      const kind = form.querySelector("[name=kind]");
      if (!kind) return;
      const boxes = ["other_organization", "other_organization_name"]
        .map(function (n) { return form.querySelector("[name=" + n + "]"); })
        .filter(Boolean)
        .map(function (el) { return el.closest("label") || el; });
      function sync() { boxes.forEach(function (b) { b.hidden = !kinds.includes(kind.value); }); }
      kind.addEventListener("change", sync);
      sync();
    });
  }

  function setUp(root) { setUpNeedsOther(root); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
})();
