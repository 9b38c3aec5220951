// Bakti's only script besides htmx: small behaviours, no inline handlers (CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bakti-toggle]");
    if (toggle) {
      var target = document.querySelector(toggle.getAttribute("data-bakti-toggle"));
      if (target) {
        var open = target.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
    }
    var confirmer = event.target.closest("[data-bakti-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-bakti-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-bakti-autosubmit]");
    if (select && select.form) { select.form.requestSubmit(); }
  });
})();
