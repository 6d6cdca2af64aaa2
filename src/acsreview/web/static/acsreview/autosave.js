// Autosave bookkeeping for forms marked data-autosave (htmx posts them).
// A form with edits not yet saved is marked; leaving the page then asks first,
// so nothing is lost by navigating away mid-edit.
(function () {
  "use strict";
  // The Content Security Policy allows no inline style or script and no eval: htmx must
  // not add its indicator <style>, run scripts in swapped content, or evaluate hx-on/hx-vars.
  // This file runs after htmx and before htmx starts (both are deferred).
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowScriptTags = false;
    window.htmx.config.allowEval = false;
  }
  function formOf(el) { return el && el.closest ? el.closest("form[data-autosave]") : null; }
  document.addEventListener("input", function (e) {
    var form = formOf(e.target);
    if (form) { form.dataset.dirty = "1"; }
  });
  document.addEventListener("change", function (e) {
    var form = formOf(e.target);
    if (form) { form.dataset.dirty = "1"; }
  });
  // The item's own Save button posts the whole form: leaving the page that way saves it,
  // so it must not ask "leave without saving?" (other items' unsaved edits still ask).
  // It also stops the autosave: typing then clicking Save fires "change" as the field loses
  // the focus, and that autosave (300 ms later) would race the Save's own post.
  document.addEventListener("submit", function (e) {
    var form = formOf(e.target);
    if (form) { delete form.dataset.dirty; form.dataset.submitting = "1"; }
  });
  document.addEventListener("htmx:confirm", function (e) {
    var form = formOf(e.detail.elt);
    if (form && form.dataset.submitting) { e.preventDefault(); }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = formOf(e.detail.elt);
    if (!form) { return; }
    var xhr = e.detail.xhr;
    var saved = xhr && xhr.status === 200 && xhr.getResponseHeader("X-Save-Status") === "200";
    if (saved) { delete form.dataset.dirty; }
  });
  window.addEventListener("beforeunload", function (e) {
    if (document.querySelector("form[data-autosave][data-dirty]")) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
