// Template editor: a click on a placeholder ("{code}") inserts it where the cursor is, in
// the subject or the body (whichever was used last; the body by default), then tells the
// form something changed so the live preview (htmx) refreshes.  Without this script the
// placeholders are still listed and can be typed by hand.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("egov-template-form");
    if (!form) return;
    var target = form.querySelector("textarea[name=body]");
    form.addEventListener("focusin", function (event) {
      var el = event.target;
      if (el.matches("textarea[name=body], input[name=subject]")) target = el;
    });
    document.querySelectorAll("[data-egov-insert]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!target) return;
        var text = button.getAttribute("data-egov-insert");
        var start = target.selectionStart == null ? target.value.length : target.selectionStart;
        var end = target.selectionEnd == null ? start : target.selectionEnd;
        target.value = target.value.slice(0, start) + text + target.value.slice(end);
        target.focus();
        target.setSelectionRange(start + text.length, start + text.length);
        target.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
