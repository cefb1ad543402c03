// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    if (window.matchMedia("(max-width: 40rem)").matches) {
      nav.setAttribute("data-collapsed", "true");
      toggle.setAttribute("aria-expanded", "false");
    }
    toggle.addEventListener("click", function () {
      var collapsed = nav.getAttribute("data-collapsed") === "true";
      nav.setAttribute("data-collapsed", collapsed ? "false" : "true");
      toggle.setAttribute("aria-expanded", collapsed ? "true" : "false");
    });
  }
  // A form came back with errors: move focus to its summary, so it is read out and seen first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Guard against double submission (a thumb tapping twice on a slow network).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "true") { event.preventDefault(); return; }
    form.dataset.submitted = "true";
    setTimeout(function () { form.dataset.submitted = "false"; }, 8000);
  });
})();
