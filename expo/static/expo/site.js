/* Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can
   forbid inline scripts: a <select data-autosubmit> (the language switch) submits its form. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
})();
