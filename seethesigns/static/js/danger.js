/*
 * The "Call 999 now" step on a form. CSS shows and hides it (it works without JavaScript);
 * this only moves the keyboard and screen reader to it when it opens, and back to the form
 * when someone chooses to carry on.
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    var step = target.closest(".field, [data-danger]");
    step = step && step.nextElementSibling;
    if (target.type === "radio" && step && step.hasAttribute("data-danger-step")) {
      if (window.getComputedStyle(step).display !== "none") step.querySelector("h2").focus();
    } else if (target.hasAttribute("data-danger-ack") && target.checked) {
      var after = target.closest("[data-danger-step]").nextElementSibling;
      var next = after && after.querySelector("input, textarea, select, button");
      if (next) next.focus();
    }
  });
})();
