/* Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
   forbid inline scripts and styles: a <select data-autosubmit> (the language switch, the room picker)
   submits its form, a read-only field selects its text when tapped, and an element with
   data-border-color (a track's colour) gets that border colour. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
})();
(function () {
  "use strict";
  // A read-only field that holds something to copy (a calendar address) selects itself when tapped.
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("input[readonly]")) e.target.select();
  });
})();
(function () {
  "use strict";
  // Colours that come from the data (a track's colour): set through the CSSOM, which the policy allows.
  function paint() {
    document.querySelectorAll("[data-border-color]").forEach(function (el) {
      if (/^#[0-9a-fA-F]{3,8}$/.test(el.dataset.borderColor)) el.style.borderColor = el.dataset.borderColor;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", paint); else paint();
})();
