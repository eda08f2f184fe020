/* Screening form: when an indicator is marked present, open its evidence fields. Without this
   script the fields are one click away, under "When, evidence and source". */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=radio][name$='-state']")) return;
    var more = input.closest(".indicator") && input.closest(".indicator").querySelector("details");
    if (more && input.value === "present") more.open = true;
  });
})();
